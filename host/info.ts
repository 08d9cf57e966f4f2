// PidFdInfo: what PIDFD_GET_INFO returned, read from the core's result area. Runtime-neutral
// (no Node API): the Deno host uses it as it is.
import { RESULT, type Core } from "./instance.js";
import { endStatus, type ExitStatus } from "./exit_status.js";

import {
  PIDFD_COREDUMP_ROOT, PIDFD_COREDUMP_SKIP, PIDFD_COREDUMP_USER, PIDFD_COREDUMPED,
  PIDFD_INFO_CGROUPID, PIDFD_INFO_COREDUMP, PIDFD_INFO_COREDUMP_SIGNAL, PIDFD_INFO_CREDS, PIDFD_INFO_EXIT, PIDFD_INFO_PID,
  PIDFD_INFO_SUPPORTED_MASK,
} from "./constants.js";

/** Every PIDFD_INFO_* bit this host knows: what getInfo() asks for. */
export const PIDFD_INFO_ALL = PIDFD_INFO_PID | PIDFD_INFO_CREDS | PIDFD_INFO_CGROUPID | PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP
  | PIDFD_INFO_SUPPORTED_MASK | PIDFD_INFO_COREDUMP_SIGNAL;

/** A process's user and group ids (struct pidfd_info). */
export interface Credentials {
  ruid: number; rgid: number; euid: number; egid: number;
  suid: number; sgid: number; fsuid: number; fsgid: number;
}

/**
 * The coredump_mask of struct pidfd_info (Linux 6.16), bit by bit. pidfs records a dump only when
 * it goes to a core_pattern socket ("@path") or to a pipe handler given the pidfd ("|prog %F"):
 * a dump to a file leaves every flag false, after the reap as before (fs/coredump.c calls
 * pidfs_coredump() in those two places only). For a running process the kernel reports how it
 * would be dumped instead (`user`, `root` or `skipped`), never `dumped`; for a zombie, nothing.
 */
export interface CoredumpInfo {
  /** The raw PIDFD_COREDUMP_* bits. */
  mask: number;
  /** PIDFD_COREDUMPED: a core dump was written (to a socket or pipe handler). */
  dumped: boolean;
  /** PIDFD_COREDUMP_SKIP: the process is not dumpable (prctl PR_SET_DUMPABLE 0, setuid...). */
  skipped: boolean;
  /** PIDFD_COREDUMP_USER: dumped (or dumpable) as the user. */
  user: boolean;
  /** PIDFD_COREDUMP_ROOT: dumped (or dumpable) as root (fs.suid_dumpable 2): treat the dump as sensitive. */
  root: boolean;
  /** The signal that caused the dump (PIDFD_INFO_COREDUMP_SIGNAL, Linux 6.19); null before 6.19. */
  signal: number | null;
}

/** The CoredumpInfo of a coredump_mask and, when the kernel filled it in, the dump's signal. */
export function coredumpInfo(mask: number, signal: number | null): CoredumpInfo {
  return {
    mask,
    dumped: (mask & PIDFD_COREDUMPED) !== 0,
    skipped: (mask & PIDFD_COREDUMP_SKIP) !== 0,
    user: (mask & PIDFD_COREDUMP_USER) !== 0,
    root: (mask & PIDFD_COREDUMP_ROOT) !== 0,
    signal,
  };
}

/** What PIDFD_GET_INFO returned: each field is null when the kernel did not fill it in. */
export interface PidFdInfo {
  /** The PIDFD_INFO_* bits the kernel returned. */
  mask: number;
  /** The pid (the thread id for a thread pidfd); 0 when outside our pid namespace. The ids are unsigned (__u32). */
  pid: number | null;
  /** The thread-group id (the process's pid). */
  tgid: number | null;
  /** The parent's pid; 0 when the parent is outside our pid namespace. */
  ppid: number | null;
  creds: Credentials | null;
  /** The cgroup v2 id (the inode of the cgroup's directory). */
  cgroupId: bigint | null;
  /**
   * The exit status, once the process has been reaped (Linux 6.15); null also when the kernel's
   * exit_code is no status a process ends with (a kernel thread's: mask still has PIDFD_INFO_EXIT).
   */
  exit: ExitStatus | null;
  /** The coredump flags (Linux 6.16) and, from Linux 6.19, the signal that caused the dump. */
  coredump: CoredumpInfo | null;
  /** PIDFD_INFO_* bits this kernel supports (Linux 6.19). */
  supportedMask: number | null;
}

/** The credentials in the result area. */
export function readCreds(core: Core): Credentials {
  return {
    ruid: core.resultU32(RESULT.ruid), rgid: core.resultU32(RESULT.rgid), euid: core.resultU32(RESULT.euid), egid: core.resultU32(RESULT.egid),
    suid: core.resultU32(RESULT.suid), sgid: core.resultU32(RESULT.sgid), fsuid: core.resultU32(RESULT.fsuid), fsgid: core.resultU32(RESULT.fsgid),
  };
}

/**
 * The exit status in the result area (valid when the returned mask has PIDFD_INFO_EXIT): null
 * when the kernel's exit_code is no status a process ends with (a kernel thread's).
 */
export function readExit(core: Core): ExitStatus | null {
  return endStatus(core, core.resultI32(RESULT.exitStatus));
}

/** The PidFdInfo in the result area, for the returned mask `got`. */
export function readInfo(core: Core, got: number): PidFdInfo {
  const has = (bit: number): boolean => (got & bit) !== 0;
  return {
    mask: got,
    pid: has(PIDFD_INFO_PID) ? core.resultU32(RESULT.pid) : null,
    tgid: has(PIDFD_INFO_PID) ? core.resultU32(RESULT.tgid) : null,
    ppid: has(PIDFD_INFO_PID) ? core.resultU32(RESULT.ppid) : null,
    creds: has(PIDFD_INFO_CREDS) ? readCreds(core) : null,
    cgroupId: has(PIDFD_INFO_CGROUPID) ? core.resultU64(RESULT.cgroupid) : null,
    exit: has(PIDFD_INFO_EXIT) ? readExit(core) : null,
    coredump: has(PIDFD_INFO_COREDUMP)
      ? coredumpInfo(core.resultU32(RESULT.coredumpMask), has(PIDFD_INFO_COREDUMP_SIGNAL) ? core.resultU32(RESULT.coredumpSignal) : null)
      : null,
    supportedMask: has(PIDFD_INFO_SUPPORTED_MASK) ? core.resultU32(RESULT.supportedMask) : null,
  };
}
