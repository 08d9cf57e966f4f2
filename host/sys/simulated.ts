// A simulated Linux kernel: an in-memory process table and fd table behind the Syscalls
// interface, answering as a chosen kernel version would (errnos, struct layouts, fdinfo text).
// It plays the kernel, so unlike the rest of the host it writes the kernel's byte layouts: struct
// pidfd_info, siginfo_t, struct stat / statfs and struct file_handle, all x86_64 (64-bit LE,
// generic _IOC layout). It never blocks: see `onBlockingWait`.
// It keeps its own copies of the kernel's constants on purpose, rather than importing
// host/constants.ts: it is an independent oracle for the core, which must not share its mistakes.
import {
  EACCES, EAGAIN, EBADF, ECHILD, EFAULT, EINTR, EINVAL, ENODATA, ENOENT, ENOPROTOOPT, ENOSYS, ENOTSOCK, ENOTTY, EOPNOTSUPP,
  EOVERFLOW, EPERM, ESRCH, ESTALE,
} from "../errno.js";
import { checkInt, invalidArg } from "../errors.js";
import { checkOptions, oneOf, type OptionTypes } from "../validate.js";
import { noProcessSyscalls, type ProcessSyscalls, type Syscalls } from "./syscalls.js";

/** The kernel versions the simulation is usually run at; any "major.minor" string works. */
export const KERNEL_LEVELS = ["5.2", "5.3", "5.6", "6.9", "6.11", "6.13", "6.15", "6.18"] as const;
export type KernelLevel = (typeof KERNEL_LEVELS)[number];

/** A version as a comparable number: "6.13" -> 6013. */
export function kernelVersion(level: string): number {
  const match = /^(\d+)\.(\d+)/.exec(level);
  if (!match) throw new RangeError(`not a kernel version: ${level}`);
  return Number(match[1]) * 1000 + Number(match[2]);
}

/** When each simulated behaviour arrived (include/uapi/linux/pidfd.h, fs/pidfs.c, kernel/pid.c history). */
export const SINCE = {
  pidfdOpen: 5003,          // pidfd_open(2); fdinfo Pid:/NSpid:
  waitidPidfd: 5004,        // waitid(P_PIDFD)
  pidfdGetfd: 5006,         // pidfd_getfd(2)
  setnsPidfd: 5008,         // setns(pidfd, flags)
  peerPidfd: 6005,          // getsockopt(SO_PEERPIDFD) (net/core/sock.c)
  fdinfoReaped: 5010,       // fdinfo shows "Pid: -1" once reaped (before: the stale pid)
  nonblock: 5010,           // PIDFD_NONBLOCK
  processMrelease: 5015,    // process_mrelease(2) (mm/oom_kill.c)
  pidfs: 6009,              // pidfs: PID_FS_MAGIC, unique st_ino; PIDFD_THREAD; signal scopes
  namespaceIoctls: 6011,    // PIDFD_GET_*_NAMESPACE
  getInfo: 6013,            // PIDFD_GET_INFO (struct pidfd_info VER0, 64 bytes); pidfs file handles
  infoExit: 6015,           // PIDFD_INFO_EXIT after the reap
  infoVer1: 6016,           // VER1 (72 bytes): PIDFD_INFO_COREDUMP; SO_PEERPIDFD of a reaped peer gives a pidfd (fd0a109a0f6b)
  pidfsRoot: 6017,          // FD_PIDFS_ROOT as open_by_handle_at's mount fd
  extensibleIoctl: 6018,    // GET_INFO validated as an extensible ioctl: a short size is ENOTTY, not EINVAL
} as const;

export const NAMESPACE_NAMES = [
  "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts",
] as const;
export type NamespaceName = (typeof NAMESPACE_NAMES)[number];

/** The eight ids of struct cred that PIDFD_GET_INFO reports. */
export interface SimCredentials {
  ruid: number; rgid: number; euid: number; egid: number; suid: number; sgid: number; fsuid: number; fsgid: number;
}

export type ProcessState = "running" | "zombie" | "reaped";

/** One process of the simulation (always a single-threaded thread-group leader). */
export interface SimProcess {
  readonly pid: number;
  ppid: number;
  pgid: number;
  /** The pidfs inode number: unique, never reused (above 2^32 to catch truncation). */
  readonly id: bigint;
  creds: SimCredentials;
  cgroupId: bigint;
  /** Namespace inode numbers by type (pid_for_children / time_for_children follow pid / time). */
  namespaces: Record<NamespaceName, number>;
  state: ProcessState;
  /** The wait(2) status once it has exited. */
  status: number;
  /** Whether an exit by a core-dumping signal writes a core file (RLIMIT_CORE > 0). */
  dumpsCore: boolean;
  /** Its dumpability (prctl PR_SET_DUMPABLE, fs.suid_dumpable): 0 none, 1 as the user, 2 as root. */
  dumpable: 0 | 1 | 2;
  /** The coredump_mask pidfs recorded when it dumped core to a socket or pipe handler (else 0). */
  coredumpMask: number;
  /** Every signal delivered to it, with the siginfo it came with (the newest last). */
  received: SimSiginfo[];
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to it rather than to init. */
  subreaper: boolean;
  /** The process's own fds (what pidfd_getfd can take), as readlink(/proc/<pid>/fd/N) shows them. */
  fds: Map<number, string>;
}

/** What one fd of the caller's table refers to. */
export type SimFile =
  | { kind: "pidfd"; process: SimProcess; flags: number }
  | { kind: "namespace"; type: NamespaceName; ino: number }
  | { kind: "file"; name: string; ino: number; fsMagic: number }
  | { kind: "socket"; peer: SimProcess | undefined; ino: number };

/** The siginfo_t fields of a delivered signal: si_code SI_USER (0) from kill, SI_QUEUE (-1) from sigqueue. */
export interface SimSiginfo {
  signo: number;
  code: number;
  pid: number;
  uid: number;
  /** si_value.sival_int. */
  value: number;
}

export interface SimulatedKernelOptions {
  /** The kernel version to behave as, e.g. "5.3" or "6.18". */
  level: string;
  /** The calling process's pid (default: process.pid, so PidFd.self() works). */
  selfPid?: number;
  /** The calling process's uid and gid (default 1000; 0 makes it privileged). */
  uid?: number;
  gid?: number;
  /** The caller has several threads (as Node does): setns into a user or mount namespace gives EINVAL. */
  threaded?: boolean;
  /**
   * kernel.core_pattern (default "core", a file): pidfs records a dump only for a socket ("@path")
   * or a pipe handler given the pidfd ("|prog %F"), which also ignore RLIMIT_CORE.
   */
  corePattern?: string;
  /**
   * Called when waitid would block on a running child: the test's chance to make it exit. If it
   * still runs afterwards the wait returns -EINTR (as if a signal interrupted it).
   */
  onBlockingWait?: (child: SimProcess) => void;
}

export interface SimSpawnOptions {
  /** The parent (default: the caller). */
  parent?: number;
  /** A specific free pid (to simulate pid reuse); default the next free one. */
  pid?: number;
  uid?: number;
  gid?: number;
  cgroupId?: bigint;
  /** Start a new process group (setpgid(0, 0)). */
  newProcessGroup?: boolean;
  /** Namespace types that get new namespaces (unshare). */
  unshare?: readonly NamespaceName[];
  dumpsCore?: boolean;
  /** Its dumpability (default 1, as the user). */
  dumpable?: 0 | 1 | 2;
  /** The child's fds; default 0, 1, 2 on a pipe and a tty. */
  fds?: Record<number, string>;
}

/** How a process ends: an exit code, or a signal (default action). */
export type ExitHow = { code: number } | { signal: number };


// File status flags (x86_64 octal values) and pidfd flags.
const O_RDONLY = 0, O_RDWR = 0o2, O_EXCL = 0o200, O_NONBLOCK = 0o4000, O_CLOEXEC = 0o2000000;
const PIDFD_THREAD = O_EXCL, PIDFD_NONBLOCK = O_NONBLOCK;
const PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

// waitid.
const P_PIDFD = 3;
const WNOHANG = 1, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;
const WAIT_VALID = WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | 0x20000000 | 0x40000000 | 0x80000000;
const SIGCHLD = 17, CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

// Filesystem magics (include/uapi/linux/magic.h).
const PID_FS_MAGIC = 0x50494446, ANON_INODE_FS_MAGIC = 0x09041934, NSFS_MAGIC = 0x6e736673;
const TMPFS_MAGIC = 0x01021994, PIPEFS_MAGIC = 0x50495045, DEVPTS_SUPER_MAGIC = 0x1cd1, SOCKFS_MAGIC = 0x534f434b;

// struct pidfd_info.
const PIDFD_INFO_PID = 1, PIDFD_INFO_CREDS = 2, PIDFD_INFO_CGROUPID = 4, PIDFD_INFO_EXIT = 8, PIDFD_INFO_COREDUMP = 16;
const PIDFD_COREDUMPED = 1, PIDFD_COREDUMP_SKIP = 2, PIDFD_COREDUMP_USER = 4, PIDFD_COREDUMP_ROOT = 8;
const PIDFD_INFO_SIZE_VER0 = 64, PIDFD_INFO_SIZE_VER1 = 72;
const PIDFS_IOCTL_MAGIC = 0xff, PIDFD_GET_INFO_NR = 11;
const IOC_READ_WRITE = 3;

// siginfo_t si_code values (include/uapi/asm-generic/siginfo.h).
const SI_USER = 0, SI_TKILL = -6;

// name_to_handle_at.
const AT_EMPTY_PATH = 0x1000, AT_SYMLINK_FOLLOW = 0x400, AT_HANDLE_FID = 0x200, AT_HANDLE_MNT_ID_UNIQUE = 1;
const MAX_HANDLE_SZ = 128, FILEID_KERNFS = 0xfe, FD_PIDFS_ROOT = -10002, O_WRONLY = 0o1, O_LARGEFILE = 0o100000;

// getsockopt (asm-generic/socket.h).
const SOL_SOCKET = 1, SO_PEERCRED = 17, SO_PEERPIDFD = 77, OVERFLOW_UID = 65534;

const CLONE_FLAGS: Readonly<Record<NamespaceName, number>> = {
  cgroup: 0x02000000, ipc: 0x08000000, mnt: 0x00020000, net: 0x40000000, pid: 0x20000000,
  pid_for_children: 0x20000000, time: 0x00000080, time_for_children: 0x00000080, user: 0x10000000, uts: 0x04000000,
};
const ALL_CLONE_NS = Object.values(CLONE_FLAGS).reduce((a, b) => a | b, 0);

/** The initial namespaces' inode numbers (as on a typical host). */
const INIT_NAMESPACES: Readonly<Record<NamespaceName, number>> = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531841, net: 4026531840, pid: 4026531836,
  pid_for_children: 4026531836, time: 4026531834, time_for_children: 4026531834, user: 4026531837, uts: 4026531838,
};

// Signals whose default action is to ignore / to stop (not simulated: nothing happens) / to dump core.
const IGNORED_SIGNALS = new Set([17, 18, 23, 28]);
const STOP_SIGNALS = new Set([19, 20, 21, 22]);
const CORE_SIGNALS = new Set([3, 4, 5, 6, 7, 8, 11, 24, 25, 31]);

const ANON_INODE_INO = 1057n; // every anon-inode pidfd shares one inode

const KERNEL_OPTIONS: OptionTypes = {
  level: "string", selfPid: "number", uid: "number", gid: "number", threaded: "boolean", corePattern: "string",
  onBlockingWait: "function",
};
const SPAWN_OPTIONS: OptionTypes = {
  parent: "number", pid: "number", uid: "number", gid: "number", cgroupId: "bigint", newProcessGroup: "boolean",
  unshare: "checked", dumpsCore: "boolean", dumpable: "checked", fds: "object",
};

/** The simulated kernel. Drive it with spawn() / exit() / reap(); the core drives it through Syscalls. */
export class SimulatedKernel implements Syscalls {
  /** Its fds are numbers in its own table, not fds of this process. */
  readonly simulated = true;
  readonly level: string;
  readonly version: number;
  /** The calling process (the one whose fd table the syscalls use). */
  readonly self: SimProcess;
  readonly threaded: boolean;
  readonly corePattern: string;
  onBlockingWait: ((child: SimProcess) => void) | undefined;

  readonly #processes = new Map<number, SimProcess>();
  readonly #files = new Map<number, SimFile>();
  #nextPid = 1000;
  #nextId = 0x100000002n;
  #nextIno = 20000;
  #nextNamespace = 4026532000;

  constructor(options: SimulatedKernelOptions) {
    checkOptions("options", options, KERNEL_OPTIONS);
    if (typeof options.level !== "string") throw invalidArg("options.level", "of type string", options.level);
    this.level = options.level;
    this.corePattern = options.corePattern ?? "core";
    this.version = kernelVersion(options.level);
    this.threaded = options.threaded ?? true;
    this.onBlockingWait = options.onBlockingWait;
    const init = this.#newProcess(1, 0, 0, 0, { ...INIT_NAMESPACES });
    init.pgid = 1;
    const uid = options.uid ?? 1000;
    const gid = options.gid ?? uid;
    this.self = this.#newProcess(options.selfPid ?? process.pid, init.pid, uid, gid, { ...INIT_NAMESPACES });
    this.#files.set(0, this.#newFile("/dev/pts/0", DEVPTS_SUPER_MAGIC));
    this.#files.set(1, this.#newFile("/dev/pts/0", DEVPTS_SUPER_MAGIC));
    this.#files.set(2, this.#newFile("/dev/pts/0", DEVPTS_SUPER_MAGIC));
  }

  /** Whether this kernel has a behaviour (a SINCE entry). */
  has(feature: keyof typeof SINCE): boolean {
    return this.version >= SINCE[feature];
  }

  // ---- driving the simulation ---------------------------------------------------------------

  /** Creates a running process, by default a child of the caller with the caller's credentials. */
  spawn(options: SimSpawnOptions = {}): SimProcess {
    checkOptions("options", options, SPAWN_OPTIONS);
    if (options.unshare !== undefined) {
      if (!Array.isArray(options.unshare)) throw invalidArg("options.unshare", "an array of namespace names", options.unshare);
      options.unshare.forEach((type, i) => oneOf(`options.unshare[${i}]`, CLONE_FLAGS, type));
    }
    if (options.dumpable !== undefined) checkInt("options.dumpable", options.dumpable, 0, 2);
    const parent = this.#processes.get(options.parent ?? this.self.pid);
    if (!parent || parent.state !== "running") throw new Error(`simulated kernel: no running parent ${options.parent}`);
    let pid = options.pid;
    if (pid !== undefined) {
      if (this.#processes.has(pid)) throw new Error(`simulated kernel: pid ${pid} is in use`);
    } else {
      while (this.#processes.has(this.#nextPid)) this.#nextPid++;
      pid = this.#nextPid++;
    }
    const namespaces = { ...parent.namespaces };
    for (const type of (options.unshare ?? []) as readonly NamespaceName[]) {
      const ino = this.#nextNamespace++;
      namespaces[type] = ino;
      if (type === "pid") namespaces.pid_for_children = ino;
      if (type === "time") namespaces.time_for_children = ino;
    }
    const child = this.#newProcess(pid, parent.pid, options.uid ?? parent.creds.ruid, options.gid ?? parent.creds.rgid, namespaces);
    child.pgid = options.newProcessGroup ? pid : parent.pgid;
    child.cgroupId = options.cgroupId ?? parent.cgroupId;
    child.dumpsCore = options.dumpsCore ?? false;
    child.dumpable = options.dumpable ?? 1;
    const fds = options.fds ?? { 0: `pipe:[${this.#nextIno++}]`, 1: "/dev/pts/0", 2: "/dev/pts/0" };
    for (const [fd, name] of Object.entries(fds)) child.fds.set(Number(fd), name);
    return child;
  }

  /** Ends a running process: it becomes a zombie until its parent reaps it. */
  exit(pid: number, how: ExitHow): void {
    const proc = this.#live(pid);
    if (proc.state !== "running") throw new Error(`simulated kernel: process ${pid} is not running`);
    if ("code" in how) this.#terminate(proc, (how.code & 0xff) << 8);
    else this.#die(proc, how.signal);
  }

  /** Its parent reaps a zombie (wait(2) outside any pidfd). */
  reap(pid: number): number {
    const proc = this.#live(pid);
    if (proc.state !== "zombie") throw new Error(`simulated kernel: process ${pid} is not a zombie`);
    this.#reap(proc);
    return proc.status;
  }

  /**
   * The process half: spawning, pipes and epoll need the real kernel (-ENOSYS); prctl
   * PR_SET_CHILD_SUBREAPER marks the calling process, whose orphaned descendants then come to it.
   */
  readonly processSyscalls: ProcessSyscalls = {
    ...noProcessSyscalls,
    setChildSubreaper: (on) => ((this.self.subreaper = on), 0),
  };

  /** The process with this pid (running or zombie), if any. */
  process(pid: number): SimProcess | undefined {
    return this.#processes.get(pid);
  }

  /** What an fd of the caller refers to, if it is open. */
  file(fd: number): SimFile | undefined {
    return this.#files.get(fd);
  }

  /** The caller's open fds. */
  openFds(): number[] {
    return [...this.#files.keys()].sort((a, b) => a - b);
  }

  /** readlink(/proc/self/fd/<fd>): "anon_inode:[pidfd]", "net:[4026531840]", "pipe:[...]"; undefined if closed. */
  describeFd(fd: number): string | undefined {
    const file = this.#files.get(fd);
    if (!file) return undefined;
    if (file.kind === "pidfd") return "anon_inode:[pidfd]";
    if (file.kind === "namespace") return `${file.type}:[${file.ino}]`;
    if (file.kind === "socket") return `socket:[${file.ino}]`;
    return file.name;
  }

  /**
   * Gives the caller a new fd for a connected unix socket whose peer is process `peer` (as accept(2)
   * or socketpair(2) would); `undefined` for a socket that is not connected.
   */
  openSocket(peer: number | undefined): number {
    return this.#install({ kind: "socket", peer: peer === undefined ? undefined : this.#live(peer), ino: this.#nextIno++ });
  }

  /** Gives the caller a new fd for `name` (e.g. a regular file), as open(2) would. */
  openFile(name: string): number {
    return this.#install(this.#newFile(name, name.startsWith("pipe:") ? PIPEFS_MAGIC : TMPFS_MAGIC));
  }

  // ---- the syscalls -------------------------------------------------------------------------

  pidfdOpen(pid: number, flags: number): number {
    if (!this.has("pidfdOpen")) return -ENOSYS;
    let valid = 0;
    if (this.has("nonblock")) valid |= PIDFD_NONBLOCK;
    if (this.has("pidfs")) valid |= PIDFD_THREAD;
    if (flags & ~valid || pid <= 0) return -EINVAL;
    const proc = this.#processes.get(pid);
    if (!proc) return -ESRCH;
    return this.#install({ kind: "pidfd", process: proc, flags: O_RDWR | O_CLOEXEC | flags });
  }

  pidfdSendSignal(pidfd: number, sig: number, info: Uint8Array | null, flags: number): number {
    const file = this.#files.get(pidfd);
    if (!file || file.kind !== "pidfd") return -EBADF;
    let siginfo: SimSiginfo = { signo: sig, code: SI_USER, pid: this.self.pid, uid: this.self.creds.ruid, value: 0 };
    if (flags !== 0) {
      if (!this.has("pidfs")) return -EINVAL;
      const scope = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP;
      if (flags & ~scope || (flags & (flags - 1)) !== 0) return -EINVAL;
    }
    if (sig < 0 || sig > 64) return -EINVAL;
    const target = file.process;
    if (target.state === "reaped") return -ESRCH;
    if (info) {
      // kernel/signal.c do_pidfd_send_signal: the signal must match; only to itself may a caller
      // send a kernel-looking si_code (>= 0, or SI_TKILL).
      const view = new DataView(info.buffer, info.byteOffset, 128);
      siginfo = { signo: view.getInt32(0, true), code: view.getInt32(8, true), pid: view.getInt32(16, true), uid: view.getUint32(20, true), value: view.getInt32(24, true) };
      if (siginfo.signo !== sig) return -EINVAL;
      if ((target !== this.self || flags === PIDFD_SIGNAL_PROCESS_GROUP) && (siginfo.code >= 0 || siginfo.code === SI_TKILL)) return -EPERM;
    }
    let targets = [target];
    if (flags === PIDFD_SIGNAL_PROCESS_GROUP) {
      if (target.pgid !== target.pid) return -ESRCH;
      targets = [...this.#processes.values()].filter((p) => p.pgid === target.pgid);
    }
    if (!targets.some((p) => this.#maySignal(p))) return -EPERM;
    if (sig === 0) return 0;
    for (const p of targets) if (this.#maySignal(p)) this.#deliver(p, siginfo);
    return 0;
  }

  processMrelease(pidfd: number, flags: number): number {
    if (!this.has("processMrelease")) return -ENOSYS;
    if (flags !== 0) return -EINVAL;
    const file = this.#files.get(pidfd);
    if (!file || file.kind !== "pidfd") return -EBADF;
    // A simulated SIGKILL ends the process at once: a zombie has no memory left (find_lock_task_mm
    // finds no mm: ESRCH), and a running process is not exiting (task_will_free_mem: EINVAL).
    return file.process.state === "running" ? -EINVAL : -ESRCH;
  }

  pidfdGetfd(pidfd: number, targetfd: number, flags: number): number {
    if (!this.has("pidfdGetfd")) return -ENOSYS;
    if (flags !== 0) return -EINVAL;
    const file = this.#files.get(pidfd);
    if (!file || file.kind !== "pidfd") return -EBADF;
    const target = file.process;
    if (target.state !== "running") return -ESRCH;
    if (!this.#mayPtrace(target)) return -EPERM;
    const name = target.fds.get(targetfd);
    if (name === undefined) return -EBADF;
    return this.#install(this.#newFile(name, name.startsWith("pipe:") ? PIPEFS_MAGIC : DEVPTS_SUPER_MAGIC));
  }

  waitid(idtype: number, id: number, info: Uint8Array, options: number): number {
    if (options & ~WAIT_VALID || !(options & (WEXITED | WSTOPPED | WCONTINUED))) return -EINVAL;
    if (idtype !== P_PIDFD || !this.has("waitidPidfd")) return -EINVAL; // P_PID/P_PGID/P_ALL are not simulated
    const file = this.#files.get(id);
    if (!file || file.kind !== "pidfd") return -EBADF;
    const child = file.process;
    if (child.state === "reaped" || child.ppid !== this.self.pid) return -ECHILD;
    if (child.state === "running" && !(options & WNOHANG)) {
      if (file.flags & O_NONBLOCK) return -EAGAIN;
      this.onBlockingWait?.(child);
      if (child.state === "running") return -EINTR;
    }
    const view = new DataView(info.buffer, info.byteOffset, info.byteLength);
    if (child.state !== "zombie" || !(options & WEXITED)) {
      writeSiginfo(view, 0, 0, 0, 0, 0);
      return 0;
    }
    const status = child.status;
    let code = CLD_EXITED;
    let value = (status >> 8) & 0xff;
    if ((status & 0x7f) !== 0) {
      code = status & 0x80 ? CLD_DUMPED : CLD_KILLED;
      value = status & 0x7f;
    }
    writeSiginfo(view, SIGCHLD, code, child.pid, child.creds.ruid, value);
    if (!(options & WNOWAIT)) this.#reap(child);
    return 0;
  }

  ioctl(fd: number, request: number, arg: Uint8Array | null): number {
    const file = this.#files.get(fd);
    if (!file) return -EBADF;
    if (file.kind !== "pidfd" || !this.has("pidfs")) return -ENOTTY; // nsfs, files, anon-inode pidfds
    const nr = request & 0xff;
    const type = (request >>> 8) & 0xff;
    const size = (request >>> 16) & 0x3fff;
    const dir = request >>> 30;
    if (type === PIDFS_IOCTL_MAGIC && nr === PIDFD_GET_INFO_NR && this.has("getInfo")) {
      if (this.has("extensibleIoctl") && (dir !== IOC_READ_WRITE || size < PIDFD_INFO_SIZE_VER0)) return -ENOTTY;
      if (!arg) return -EINVAL;
      if (size < PIDFD_INFO_SIZE_VER0) return -EINVAL;
      if (arg.length < size) return -EFAULT;
      return this.#getInfo(file.process, arg, size);
    }
    const namespace = NAMESPACE_NAMES[nr - 1];
    if (this.has("namespaceIoctls") && namespace && request === ((PIDFS_IOCTL_MAGIC << 8) | nr)) {
      const target = file.process;
      if (target.state === "reaped") return -ESRCH;
      if (arg) return -EINVAL;
      if (target.state === "zombie") return -ESRCH; // no nsproxy any more
      if (!this.#mayPtrace(target)) return -EACCES;
      return this.#install({ kind: "namespace", type: namespace, ino: target.namespaces[namespace] });
    }
    return -ENOTTY;
  }

  fstat(fd: number, stat: Uint8Array): number {
    const file = this.#files.get(fd);
    if (!file) return -EBADF;
    let ino: bigint;
    let mode: number;
    if (file.kind === "pidfd") {
      ino = this.has("pidfs") ? file.process.id : ANON_INODE_INO;
      mode = this.has("pidfs") ? 0o700 : 0o600; // no S_IFMT bits
    } else {
      ino = BigInt(file.ino);
      mode = file.kind === "namespace" ? 0o100444 : file.kind === "socket" ? 0o140777 : 0o20620;
    }
    // struct stat, x86_64: st_dev 0, st_ino 8, st_nlink 16, st_mode 24, st_uid 28, st_gid 32,
    // st_rdev 40, st_size 48, st_blksize 56, st_blocks 64, times 72..119; 144 bytes.
    const view = new DataView(stat.buffer, stat.byteOffset, 144);
    for (let i = 0; i < 144; i += 4) view.setUint32(i, 0, true);
    view.setBigUint64(0, BigInt(mountIdOf(file, this)), true); // st_dev: one device per filesystem
    view.setBigUint64(8, ino, true);
    view.setBigUint64(16, 1n, true);
    view.setUint32(24, mode, true);
    view.setUint32(28, this.self.creds.euid, true);
    view.setUint32(32, this.self.creds.egid, true);
    view.setBigInt64(56, 4096n, true);
    return 0;
  }

  fstatfs(fd: number, statfs: Uint8Array): number {
    const file = this.#files.get(fd);
    if (!file) return -EBADF;
    // struct statfs, 64-bit: f_type 0, f_bsize 8, ... f_namelen 64, f_frsize 72, f_flags 80; 120 bytes.
    const view = new DataView(statfs.buffer, statfs.byteOffset, 120);
    for (let i = 0; i < 120; i += 4) view.setUint32(i, 0, true);
    view.setBigInt64(0, BigInt(fsMagicOf(file, this)), true);
    view.setBigInt64(8, 4096n, true);
    view.setBigInt64(64, 255n, true);
    view.setBigInt64(72, 4096n, true);
    return 0;
  }

  nameToHandleAt(dirfd: number, path: Uint8Array, handle: Uint8Array, mountId: Uint8Array, flags: number): number {
    if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_FOLLOW | AT_HANDLE_FID | AT_HANDLE_MNT_ID_UNIQUE)) return -EINVAL;
    const end = path.indexOf(0);
    if (end !== 0) return -ENOENT; // only the empty path (with AT_EMPTY_PATH) is simulated
    if (!(flags & AT_EMPTY_PATH)) return -ENOENT;
    const file = this.#files.get(dirfd);
    if (!file) return -EBADF;
    if (file.kind !== "pidfd" || !this.has("getInfo")) return -EOPNOTSUPP; // no export operations
    const header = new DataView(handle.buffer, handle.byteOffset, 8);
    const room = header.getUint32(0, true);
    if (room > MAX_HANDLE_SZ) return -EINVAL;
    new DataView(mountId.buffer, mountId.byteOffset, 4).setInt32(0, 17, true);
    if (room < 8) {
      header.setUint32(0, 8, true);
      header.setInt32(4, 0, true);
      return -EOVERFLOW;
    }
    header.setUint32(0, 8, true);
    header.setInt32(4, FILEID_KERNFS, true);
    new DataView(handle.buffer, handle.byteOffset + 8, 8).setBigUint64(0, file.process.id, true);
    return 0;
  }

  openByHandleAt(mountFd: number, handle: Uint8Array, flags: number): number {
    // Before pidfs had export operations, decoding needed CAP_DAC_READ_SEARCH and then found nothing.
    if (!this.has("getInfo")) return this.self.creds.euid === 0 ? -ESTALE : -EPERM;
    if (mountFd !== FD_PIDFS_ROOT || !this.has("pidfsRoot")) {
      const mount = this.#files.get(mountFd);
      if (!mount) return -EBADF;
      if (mount.kind !== "pidfd") return -ESTALE; // another filesystem: its own export operations find nothing
    }
    const header = new DataView(handle.buffer, handle.byteOffset, 8);
    const size = header.getUint32(0, true);
    if (size === 0 || size > MAX_HANDLE_SZ) return -EINVAL;
    if (flags & ~(O_WRONLY | O_RDWR | O_NONBLOCK | O_CLOEXEC | O_EXCL | O_LARGEFILE)) return -EINVAL;
    if (header.getInt32(4, true) !== FILEID_KERNFS || size < 8) return -ESTALE;
    const id = new DataView(handle.buffer, handle.byteOffset + 8, 8).getBigUint64(0, true);
    const proc = [...this.#processes.values()].find((p) => p.id === id);
    if (!proc) return -ESTALE; // reaped, or never existed
    return this.#install({ kind: "pidfd", process: proc, flags: O_RDWR | flags });
  }

  getsockopt(fd: number, level: number, optname: number, optval: Uint8Array): number {
    const file = this.#files.get(fd);
    if (!file) return -EBADF;
    if (file.kind !== "socket") return -ENOTSOCK;
    if (level !== SOL_SOCKET) return -ENOPROTOOPT;
    const peer = file.peer;
    if (optname === SO_PEERCRED) {
      const ucred = new DataView(new ArrayBuffer(12));
      ucred.setInt32(0, peer?.pid ?? 0, true);
      ucred.setUint32(4, peer?.creds.euid ?? OVERFLOW_UID, true);
      ucred.setUint32(8, peer?.creds.egid ?? OVERFLOW_UID, true);
      const len = Math.min(optval.length, 12);
      optval.set(new Uint8Array(ucred.buffer, 0, len));
      return len;
    }
    if (optname !== SO_PEERPIDFD || !this.has("peerPidfd")) return -ENOPROTOOPT;
    if (!peer) return -ENODATA;
    // Until 6.16, pidfd_prepare() refused a struct pid whose task was reaped.
    if (peer.state === "reaped" && !this.has("infoVer1")) return -EINVAL;
    const len = Math.min(optval.length, 4);
    const pidfd = this.#install({ kind: "pidfd", process: peer, flags: O_RDWR | O_CLOEXEC });
    const bytes = new DataView(new ArrayBuffer(4));
    bytes.setInt32(0, pidfd, true);
    optval.set(new Uint8Array(bytes.buffer, 0, len));
    return len;
  }

  setns(fd: number, nstype: number): number {
    const file = this.#files.get(fd);
    if (!file) return -EBADF;
    let types: NamespaceName[];
    let source: Record<NamespaceName, number>;
    if (file.kind === "namespace") {
      if (nstype !== 0 && nstype !== CLONE_FLAGS[file.type]) return -EINVAL;
      types = [file.type];
      source = { ...this.self.namespaces, [file.type]: file.ino };
    } else if (file.kind === "pidfd" && this.has("setnsPidfd")) {
      if (nstype === 0 || nstype & ~ALL_CLONE_NS) return -EINVAL;
      const target = file.process;
      if (target.state !== "running") return -ESRCH;
      types = NAMESPACE_NAMES.filter((t) => nstype & CLONE_FLAGS[t] && !t.endsWith("_for_children"));
      source = target.namespaces;
    } else {
      return -EINVAL;
    }
    if (this.threaded && types.some((t) => t === "user" || t === "mnt")) return -EINVAL;
    if (this.self.creds.euid !== 0) return -EPERM;
    for (const type of types) {
      this.self.namespaces[type] = source[type];
      if (type === "pid") this.self.namespaces.pid_for_children = source.pid;
      if (type === "time") this.self.namespaces.time_for_children = source.time;
    }
    return 0;
  }

  close(fd: number): number {
    return this.#files.delete(fd) ? 0 : -EBADF;
  }

  readFdinfo(fd: number, buf: Uint8Array): number {
    const file = this.#files.get(fd);
    if (!file) return -ENOENT;
    const flags = file.kind === "pidfd" ? file.flags : file.kind === "namespace" ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CLOEXEC;
    let text = `pos:\t0\nflags:\t0${flags.toString(8)}\nmnt_id:\t${mountIdOf(file, this)}\n`;
    if (file.kind === "pidfd") {
      const proc = file.process;
      text += `ino:\t${this.has("pidfs") ? proc.id : ANON_INODE_INO}\n`;
      const pid = proc.state === "reaped" && this.has("fdinfoReaped") ? -1 : proc.pid;
      text += `Pid:\t${pid}\nNSpid:\t${pid}\n`;
    } else {
      text += `ino:\t${file.ino}\n`;
    }
    const bytes = new TextEncoder().encode(text);
    const n = Math.min(bytes.length, buf.length);
    buf.set(bytes.subarray(0, n));
    return n;
  }

  // ---- internals ----------------------------------------------------------------------------

  #newProcess(pid: number, ppid: number, uid: number, gid: number, namespaces: Record<NamespaceName, number>): SimProcess {
    const proc: SimProcess = {
      pid, ppid, pgid: ppid === 0 ? pid : this.#processes.get(ppid)?.pgid ?? pid, id: this.#nextId++,
      creds: { ruid: uid, rgid: gid, euid: uid, egid: gid, suid: uid, sgid: gid, fsuid: uid, fsgid: gid },
      cgroupId: 1n, namespaces, state: "running", status: 0, dumpsCore: false, dumpable: 1, coredumpMask: 0, received: [],
      subreaper: false, fds: new Map(),
    };
    this.#processes.set(pid, proc);
    return proc;
  }

  #newFile(name: string, fsMagic: number): SimFile {
    return { kind: "file", name, ino: this.#nextIno++, fsMagic };
  }

  /** Puts `file` at the lowest free fd. */
  #install(file: SimFile): number {
    let fd = 0;
    while (this.#files.has(fd)) fd++;
    this.#files.set(fd, file);
    return fd;
  }

  #live(pid: number): SimProcess {
    const proc = this.#processes.get(pid);
    if (!proc) throw new Error(`simulated kernel: no process ${pid}`);
    return proc;
  }

  #maySignal(target: SimProcess): boolean {
    const me = this.self.creds;
    return me.euid === 0 || me.euid === target.creds.ruid || me.euid === target.creds.suid ||
      me.ruid === target.creds.ruid || me.ruid === target.creds.suid;
  }

  #mayPtrace(target: SimProcess): boolean {
    const me = this.self.creds;
    return me.euid === 0 || (me.euid === target.creds.euid && me.euid === target.creds.ruid && me.euid === target.creds.suid);
  }

  /** A signal's default action (signals are never caught here); the siginfo is kept in `received`. */
  #deliver(proc: SimProcess, siginfo: SimSiginfo): void {
    if (proc.state !== "running") return;
    proc.received.push(siginfo);
    if (IGNORED_SIGNALS.has(siginfo.signo) || STOP_SIGNALS.has(siginfo.signo)) return;
    this.#die(proc, siginfo.signo);
  }

  /**
   * Death by a signal's default action. A core-dumping signal dumps when the process is dumpable
   * and core_pattern reaches a handler (a socket "@...", or a pipe "|..." that is given the pidfd
   * with %F: both ignore RLIMIT_CORE, and pidfs records them, fs/coredump.c) or a file it may
   * write (RLIMIT_CORE > 0: not recorded by pidfs).
   */
  #die(proc: SimProcess, sig: number): void {
    const pattern = this.corePattern;
    const recorded = pattern.startsWith("@") || (pattern.startsWith("|") && pattern.includes("%F"));
    const dumps = CORE_SIGNALS.has(sig) && proc.dumpable !== 0 && (recorded || pattern.startsWith("|") || proc.dumpsCore);
    if (dumps && recorded) proc.coredumpMask = PIDFD_COREDUMPED | (proc.dumpable === 2 ? PIDFD_COREDUMP_ROOT : PIDFD_COREDUMP_USER);
    this.#terminate(proc, sig | (dumps ? 0x80 : 0));
  }

  #terminate(proc: SimProcess, status: number): void {
    proc.state = "zombie";
    proc.status = status;
    const reaper = this.#reaperOf(proc);
    for (const orphan of this.#processes.values()) if (orphan.ppid === proc.pid) orphan.ppid = reaper;
  }

  /** Who adopts the orphans of `proc` (kernel/exit.c find_new_reaper): the nearest living subreaper above it, else init. */
  #reaperOf(proc: SimProcess): number {
    for (let up = this.#processes.get(proc.ppid); up && up.pid !== 1; up = this.#processes.get(up.ppid)) {
      if (up.subreaper && up.state === "running") return up.pid;
    }
    return 1;
  }

  #reap(proc: SimProcess): void {
    proc.state = "reaped";
    this.#processes.delete(proc.pid);
  }

  /** PIDFD_GET_INFO (fs/pidfs.c pidfd_info) for a request of `size` bytes. */
  #getInfo(proc: SimProcess, arg: Uint8Array, size: number): number {
    const request = new DataView(arg.buffer, arg.byteOffset, size).getBigUint64(0, true);
    const ksize = this.has("infoVer1") ? PIDFD_INFO_SIZE_VER1 : PIDFD_INFO_SIZE_VER0;
    const kinfo = new DataView(new ArrayBuffer(ksize));
    let mask = 0;
    const wantsExit = (request & BigInt(PIDFD_INFO_EXIT)) !== 0n && this.has("infoExit");
    const wantsCoredump = (request & BigInt(PIDFD_INFO_COREDUMP)) !== 0n && this.has("infoVer1") && size >= PIDFD_INFO_SIZE_VER1;
    if (proc.state === "reaped") {
      if (!wantsExit) return -ESRCH;
      mask |= PIDFD_INFO_EXIT | PIDFD_INFO_CGROUPID;
      kinfo.setBigUint64(8, proc.cgroupId, true);
      kinfo.setInt32(60, proc.status, true);
      if (wantsCoredump) {
        mask |= PIDFD_INFO_COREDUMP;
        kinfo.setUint32(64, proc.coredumpMask, true);
      }
    } else {
      const c = proc.creds;
      [c.ruid, c.rgid, c.euid, c.egid, c.suid, c.sgid, c.fsuid, c.fsgid].forEach((id, i) => kinfo.setUint32(28 + 4 * i, id, true));
      kinfo.setBigUint64(8, proc.cgroupId, true);
      kinfo.setUint32(16, proc.pid, true);
      kinfo.setUint32(20, proc.pid, true);
      kinfo.setUint32(24, proc.ppid, true);
      mask |= PIDFD_INFO_PID | PIDFD_INFO_CREDS | PIDFD_INFO_CGROUPID;
      if (wantsCoredump) {
        // pidfd_info(): what pidfs recorded, else the live process's dumpability (a zombie has no
        // mm left: 0).
        mask |= PIDFD_INFO_COREDUMP;
        const dumpability = [PIDFD_COREDUMP_SKIP, PIDFD_COREDUMP_USER, PIDFD_COREDUMP_ROOT][proc.dumpable]!;
        kinfo.setUint32(64, proc.coredumpMask || (proc.state === "running" ? dumpability : 0), true);
      }
    }
    kinfo.setBigUint64(0, BigInt(mask), true);
    // copy_struct_to_user: min(size, ksize) bytes, then zeros up to `size`.
    const copied = Math.min(size, ksize);
    arg.set(new Uint8Array(kinfo.buffer, 0, copied));
    arg.fill(0, copied, size);
    return 0;
  }
}

function writeSiginfo(view: DataView, signo: number, code: number, pid: number, uid: number, status: number): void {
  // siginfo_t, 64-bit: si_signo 0, si_errno 4, si_code 8, si_pid 16, si_uid 20, si_status 24.
  view.setInt32(0, signo, true);
  view.setInt32(4, 0, true);
  view.setInt32(8, code, true);
  view.setInt32(16, pid, true);
  view.setUint32(20, uid, true);
  view.setInt32(24, status, true);
}

function fsMagicOf(file: SimFile, kernel: SimulatedKernel): number {
  if (file.kind === "pidfd") return kernel.has("pidfs") ? PID_FS_MAGIC : ANON_INODE_FS_MAGIC;
  if (file.kind === "namespace") return NSFS_MAGIC;
  if (file.kind === "socket") return SOCKFS_MAGIC;
  return file.fsMagic;
}

function mountIdOf(file: SimFile, kernel: SimulatedKernel): number {
  if (file.kind === "pidfd") return kernel.has("pidfs") ? 4 : 15;
  return file.kind === "namespace" ? 5 : 25;
}
