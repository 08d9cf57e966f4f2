// PidFdInfo: what PIDFD_GET_INFO returned, read from the core's result area.
import { RESULT, type Core } from "./core.js";
import { ExitStatus } from "./exit_status.js";

// PIDFD_INFO_* mask bits (include/uapi/linux/pidfd.h).
export const INFO_PID = 1 << 0;
export const INFO_CREDS = 1 << 1;
export const INFO_CGROUPID = 1 << 2;
export const INFO_EXIT = 1 << 3;
export const INFO_COREDUMP = 1 << 4;
export const INFO_SUPPORTED_MASK = 1 << 5;
export const INFO_COREDUMP_SIGNAL = 1 << 6;
export const INFO_ALL = INFO_PID | INFO_CREDS | INFO_CGROUPID | INFO_EXIT | INFO_COREDUMP | INFO_SUPPORTED_MASK | INFO_COREDUMP_SIGNAL;

/** A process's user and group ids (struct pidfd_info). */
export interface Credentials {
  ruid: number; rgid: number; euid: number; egid: number;
  suid: number; sgid: number; fsuid: number; fsgid: number;
}

/** What PIDFD_GET_INFO returned: each field is null when the kernel did not fill it in. */
export interface PidFdInfo {
  /** The PIDFD_INFO_* bits the kernel returned. */
  mask: number;
  /** The pid (the thread id for a thread pidfd); 0 when outside our pid namespace. */
  pid: number | null;
  /** The thread-group id (the process's pid). */
  tgid: number | null;
  /** The parent's pid; 0 when the parent is outside our pid namespace. */
  ppid: number | null;
  creds: Credentials | null;
  /** The cgroup v2 id (the inode of the cgroup's directory). */
  cgroupId: bigint | null;
  /** The exit status, once the process has been reaped (Linux 6.15). */
  exit: ExitStatus | null;
  /** PIDFD_COREDUMP_* bits (Linux 6.16) and, from Linux 6.19, the signal that caused the dump. */
  coredump: { mask: number; signal: number | null } | null;
  /** PIDFD_INFO_* bits this kernel supports (Linux 6.19). */
  supportedMask: number | null;
}

/** The credentials in the result area. */
export function readCreds(core: Core): Credentials {
  return {
    ruid: core.u32(RESULT.ruid), rgid: core.u32(RESULT.rgid), euid: core.u32(RESULT.euid), egid: core.u32(RESULT.egid),
    suid: core.u32(RESULT.suid), sgid: core.u32(RESULT.sgid), fsuid: core.u32(RESULT.fsuid), fsgid: core.u32(RESULT.fsgid),
  };
}

/** The exit status in the result area (valid when the returned mask has PIDFD_INFO_EXIT). */
export function readExitStatus(core: Core): ExitStatus {
  return ExitStatus.fromRaw(core.i32(RESULT.exitStatus) & 0xffff);
}

/** The PidFdInfo in the result area, for the returned mask `got`. */
export function readInfo(core: Core, got: number): PidFdInfo {
  const has = (bit: number): boolean => (got & bit) !== 0;
  return {
    mask: got,
    pid: has(INFO_PID) ? core.i32(RESULT.pid) : null,
    tgid: has(INFO_PID) ? core.i32(RESULT.tgid) : null,
    ppid: has(INFO_PID) ? core.i32(RESULT.ppid) : null,
    creds: has(INFO_CREDS) ? readCreds(core) : null,
    cgroupId: has(INFO_CGROUPID) ? core.u64(RESULT.cgroupid) : null,
    exit: has(INFO_EXIT) ? readExitStatus(core) : null,
    coredump: has(INFO_COREDUMP)
      ? { mask: core.u32(RESULT.coredumpMask), signal: has(INFO_COREDUMP_SIGNAL) ? core.u32(RESULT.coredumpSignal) : null }
      : null,
    supportedMask: has(INFO_SUPPORTED_MASK) ? core.u32(RESULT.supportedMask) : null,
  };
}
