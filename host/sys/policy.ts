// A capability policy in front of any Syscalls backend, for sandboxed embeddings: the core may only
// reach the processes and operations the policy grants. A denied call returns -EPERM (or -ESRCH,
// to hide whether the process exists) and never reaches the backend.
//
// The policy sees syscalls, not API calls. How it maps them (docs/abi.md, "Policy hosts"):
//   pidfd_open(pid)                         pid in `pids` (an explicit set, or descendants of a pid)
//   pidfd_send_signal(fd, sig, info, flags) fd is a pidfd it opened; sig in `signals` (0, the
//                                           existence probe, is always allowed); no process-group scope
//   process_mrelease(fd)                    fd is a pidfd it opened and SIGKILL is in `signals`
//   pidfd_getfd(fd, ...)                    `getRemoteFd`
//   ioctl(fd, PIDFD_GET_*_NAMESPACE)        `getNamespace`
//   ioctl(fd, PIDFD_GET_INFO)               allowed (reading what an opened process is)
//   ioctl(fd, anything else)                denied (an allow-list: new pidfd ioctls stay closed)
//   setns(fd, ...)                          `setNamespace`
//   waitid(P_PIDFD, fd, ...)                allowed; other id types (P_ALL, P_PID) are denied
//   open_by_handle_at                       denied (a handle names a process the policy cannot
//                                           check before it is open)
//   getsockopt(fd, ...)                     denied (SO_PEERPIDFD opens a process outside the policy)
//   fstat, fstatfs, name_to_handle_at, read_fdinfo, close: allowed on its fds
//   prctl(PR_SET_CHILD_SUBREAPER)           `subreaper` (process-wide: default denied)
// The sandbox's fd space is the pidfds it opened and the fds admitted with admit(); any other fd
// is -EBADF, as if it were not open. A namespace fd it creates belongs to the caller (who closes
// it with its own close(2)), so it is not remembered: its number may soon name another file.
import fs from "node:fs";
import { P_PIDFD, PIDFD_SIGNAL_PROCESS_GROUP, SIGKILL } from "../constants.js";
import { EBADF, EPERM, ESRCH } from "../errno.js";
import { invalidArg } from "../errors.js";
import { checkOptions, oneOf, type OptionTypes } from "../validate.js";
import { requestNames } from "./trace.js";
import type { ProcessSyscalls, RequestCodes, SpawnRequest, Syscalls } from "./syscalls.js";


/** Which processes may be opened. */
export type PidRule = Iterable<number> | { descendantsOf: number };

export interface CapabilityPolicy {
  /** The pids pidfd_open may open: a list, or every descendant of a pid. Default: none. */
  pids?: PidRule;
  /** The signals that may be sent (numbers); signal 0 is always allowed. Default: none. */
  signals?: Iterable<number>;
  /** May the core call pidfd_getfd (PidFd.getRemoteFd)? Default false. */
  getRemoteFd?: boolean;
  /** May the core open namespace fds (PidFd.getNamespace)? Default false. */
  getNamespace?: boolean;
  /** May the core call setns (PidFd.setNamespace)? Default false. */
  setNamespace?: boolean;
  /**
   * The errno of a denial: "EPERM" (default), or "ESRCH" to hide whether a process exists. Never
   * ENOSYS, ENOTTY or EINVAL: the core would cache the feature as missing from the kernel.
   */
  deny?: "EPERM" | "ESRCH";
  /** The parent of a pid, for `descendantsOf` (default: the PPid in /proc/<pid>/stat). */
  parentOf?: (pid: number) => number | undefined;
  /** The ioctl request code of PIDFD_GET_* for a namespace type / GET_INFO (default: the calling core's). */
  requestName?: (request: number) => string | undefined;
  /**
   * May the core start processes (spawn(), through the backend's process half), and which ones:
   * false (the default), true, or a test of each request. A denied spawn starts nothing.
   */
  spawn?: boolean | ((request: SpawnQuery) => boolean);
  /**
   * May the core make this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER, for
   * spawn()'s `subreaper`)? It changes the whole process: default false.
   */
  subreaper?: boolean;
  /** Told about each denial (an audit log). */
  onDeny?: (syscall: string, reason: string) => void;
}

type Granted = { pid: number };

/** The options of a CapabilityPolicy and their types (checked in full by the constructor). */
const POLICY_OPTIONS: OptionTypes = {
  pids: "checked", signals: "checked", getRemoteFd: "boolean", getNamespace: "boolean", setNamespace: "boolean",
  subreaper: "boolean", deny: "checked", parentOf: "function", requestName: "function", spawn: "checked", onDeny: "function",
};
const DENY_ERRNOS = { EPERM, ESRCH } as const;

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === "object" && value !== null && typeof (value as Iterable<unknown>)[Symbol.iterator] === "function";
}

/** What the `spawn` rule of a policy is asked about. */
export interface SpawnQuery {
  /** The program, as given to posix_spawnp (looked up in PATH when it has no slash). */
  readonly file: string;
  readonly argv: readonly string[];
  /** The child's working directory, when it is not ours. */
  readonly cwd: string | undefined;
  /** "KEY=value" strings, or null for this process's own environment. */
  readonly env: readonly string[] | null;
}

/** The parent pid from /proc/<pid>/stat ("pid (comm) state ppid ..."); undefined if gone. */
export function procParentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** A Syscalls backend that enforces `policy` in front of `backend`. */
export class PolicySyscalls implements Syscalls {
  readonly #backend: Syscalls;
  readonly #policy: CapabilityPolicy;
  readonly #pids: ReadonlySet<number> | undefined;
  readonly #ancestor: number | undefined;
  readonly #signals: ReadonlySet<number>;
  readonly #fds = new Map<number, Granted>();
  readonly #denyErrno: number;
  #names: ((request: number) => string | undefined) | undefined;
  /** The children the policy let the core spawn: pidfd_open may open them. */
  readonly #spawned = new Set<number>();
  #process: ProcessSyscalls | undefined;

  constructor(backend: Syscalls, policy: CapabilityPolicy) {
    checkOptions("policy", policy, POLICY_OPTIONS);
    if (policy.deny !== undefined) oneOf("policy.deny", DENY_ERRNOS, policy.deny);
    if (policy.spawn !== undefined && typeof policy.spawn !== "boolean" && typeof policy.spawn !== "function") {
      throw invalidArg("policy.spawn", "of type boolean or function", policy.spawn);
    }
    if (policy.pids !== undefined && !isIterable(policy.pids) && !(typeof policy.pids === "object" && policy.pids !== null && "descendantsOf" in policy.pids)) {
      throw invalidArg("policy.pids", "an iterable of pids or { descendantsOf }", policy.pids);
    }
    if (policy.signals !== undefined && !isIterable(policy.signals)) throw invalidArg("policy.signals", "an iterable of signal numbers", policy.signals);
    this.#backend = backend;
    this.#policy = policy;
    const rule = policy.pids;
    if (rule && "descendantsOf" in rule) this.#ancestor = rule.descendantsOf;
    else this.#pids = new Set(rule ?? []);
    this.#signals = new Set(policy.signals ?? []);
    this.#denyErrno = policy.deny === "ESRCH" ? ESRCH : EPERM;
    this.#names = policy.requestName;
  }

  /** Whether the backend underneath is simulated (see Syscalls.simulated). */
  get simulated(): boolean {
    return this.#backend.simulated === true;
  }

  /** Lets the core use an fd the embedder vouches for (e.g. an inherited pidfd for `pid`). */
  admit(fd: number, pid: number): void {
    this.#fds.set(fd, { pid });
  }

  /** Builds the request names from the core that calls this backend (unless the policy gave them). */
  attach(core: RequestCodes, arch: number): void {
    this.#names ??= requestNames(core, arch);
    this.#backend.attach?.(core, arch);
  }

  /** The backend's process half, with spawn() checked against the policy's `spawn` rule. */
  get processSyscalls(): ProcessSyscalls | undefined {
    const inner = this.#backend.processSyscalls;
    if (!inner) return undefined;
    return this.#process ??= {
      ...inner,
      spawn: (request) => {
        const refusal = this.#spawnRefusal(request);
        if (refusal) return this.#deny("posix_spawnp", refusal);
        const pid = inner.spawn(request);
        if (pid > 0) this.#spawned.add(pid);
        return pid;
      },
      reap: (pid) => {
        this.#spawned.delete(pid);
        return inner.reap(pid);
      },
      setChildSubreaper: (on) => (this.#policy.subreaper === true
        ? inner.setChildSubreaper(on) : this.#deny("prctl", "PR_SET_CHILD_SUBREAPER is outside the policy")),
    };
  }

  #spawnRefusal(request: SpawnRequest): string | undefined {
    const rule = this.#policy.spawn;
    if (rule === true) return undefined;
    if (typeof rule !== "function") return `spawning ${request.file} is outside the policy`;
    const cwd = request.actions.find((action) => "chdir" in action);
    const query: SpawnQuery = { file: request.file, argv: [...request.argv], cwd: cwd?.chdir, env: request.envp && [...request.envp] };
    return rule(query) ? undefined : `spawning ${request.file} was refused by the policy`;
  }

  /** Whether the policy lets pidfd_open open `pid`. */
  allowsPid(pid: number): boolean {
    if (this.#pids) return this.#pids.has(pid);
    const parentOf = this.#policy.parentOf ?? procParentOf;
    let current = pid;
    for (let depth = 0; depth < 4096; depth++) {
      const parent = parentOf(current);
      if (parent === undefined || parent <= 0) return false;
      if (parent === this.#ancestor) return true;
      current = parent;
    }
    return false;
  }

  #deny(syscall: string, reason: string): number {
    this.#policy.onDeny?.(syscall, reason);
    return -this.#denyErrno;
  }

  #pidfd(fd: number): number | undefined {
    return this.#fds.get(fd)?.pid;
  }

  #requestName(request: number): string | undefined {
    return this.#names?.(request);
  }

  pidfdOpen(pid: number, flags: number): number {
    // A child the policy let the core spawn may be opened once, right after the spawn: unreaped,
    // its pid cannot have been reused.
    if (this.#spawned.delete(pid)) return this.#grant(pid, this.#backend.pidfdOpen(pid, flags));
    if (!this.allowsPid(pid)) return this.#deny("pidfd_open", `pid ${pid} is outside the policy`);
    const fd = this.#backend.pidfdOpen(pid, flags);
    if (fd < 0) return fd;
    // The ancestry was read before the open: the pid may have been reused in between. Read it
    // again now that the pidfd pins the process, and check that the process it names outlived
    // the read (else the pid may name yet another process); refuse and close on any doubt.
    if (!this.#pids && (!this.allowsPid(pid) || this.#backend.pidfdSendSignal(fd, 0, null, 0) !== 0)) {
      this.#backend.close(fd);
      return this.#deny("pidfd_open", `pid ${pid} was reused while the policy checked it`);
    }
    return this.#grant(pid, fd);
  }

  #grant(pid: number, fd: number): number {
    if (fd >= 0) this.#fds.set(fd, { pid });
    return fd;
  }

  pidfdSendSignal(pidfd: number, sig: number, info: Uint8Array | null, flags: number): number {
    const pid = this.#pidfd(pidfd);
    if (pid === undefined) return -EBADF;
    if (sig !== 0 && !this.#signals.has(sig)) return this.#deny("pidfd_send_signal", `signal ${sig} to pid ${pid}`);
    if (flags & PIDFD_SIGNAL_PROCESS_GROUP) return this.#deny("pidfd_send_signal", `process-group scope for pid ${pid}`);
    return this.#backend.pidfdSendSignal(pidfd, sig, info, flags);
  }

  processMrelease(pidfd: number, flags: number): number {
    const pid = this.#pidfd(pidfd);
    if (pid === undefined) return -EBADF;
    if (!this.#signals.has(SIGKILL)) return this.#deny("process_mrelease", `pid ${pid} (SIGKILL is outside the policy)`);
    return this.#backend.processMrelease(pidfd, flags);
  }

  pidfdGetfd(pidfd: number, targetfd: number, flags: number): number {
    const pid = this.#pidfd(pidfd);
    if (pid === undefined) return -EBADF;
    if (!this.#policy.getRemoteFd) return this.#deny("pidfd_getfd", `fd ${targetfd} of pid ${pid}`);
    return this.#backend.pidfdGetfd(pidfd, targetfd, flags);
  }

  waitid(idtype: number, id: number, info: Uint8Array, options: number): number {
    if (idtype !== P_PIDFD) return this.#deny("waitid", `id type ${idtype}`);
    if (this.#pidfd(id) === undefined) return -EBADF;
    return this.#backend.waitid(idtype, id, info, options);
  }

  ioctl(fd: number, request: number, arg: Uint8Array | null): number {
    const granted = this.#fds.get(fd);
    if (!granted) return -EBADF;
    const name = this.#requestName(request);
    if (name === undefined) return this.#deny("ioctl", `request 0x${(request >>> 0).toString(16)}`);
    if (name.endsWith("_NAMESPACE") && !this.#policy.getNamespace) return this.#deny("ioctl", `${name} of pid ${granted.pid}`);
    return this.#backend.ioctl(fd, request, arg);
  }

  setns(fd: number, nstype: number): number {
    if (!this.#fds.has(fd)) return -EBADF;
    if (!this.#policy.setNamespace) return this.#deny("setns", `fd ${fd}`);
    return this.#backend.setns(fd, nstype);
  }

  fstat(fd: number, stat: Uint8Array): number {
    return this.#fds.has(fd) ? this.#backend.fstat(fd, stat) : -EBADF;
  }

  fstatfs(fd: number, statfs: Uint8Array): number {
    return this.#fds.has(fd) ? this.#backend.fstatfs(fd, statfs) : -EBADF;
  }

  nameToHandleAt(dirfd: number, path: Uint8Array, handle: Uint8Array, mountId: Uint8Array, flags: number): number {
    return this.#fds.has(dirfd) ? this.#backend.nameToHandleAt(dirfd, path, handle, mountId, flags) : -EBADF;
  }

  openByHandleAt(mountFd: number, _handle: Uint8Array, _flags: number): number {
    return this.#deny("open_by_handle_at", `a file handle (mount fd ${mountFd})`);
  }

  getsockopt(fd: number, _level: number, optname: number, _optval: Uint8Array): number {
    return this.#deny("getsockopt", `option ${optname} of fd ${fd}`);
  }

  readFdinfo(fd: number, buf: Uint8Array): number {
    return this.#fds.has(fd) ? this.#backend.readFdinfo(fd, buf) : -EBADF;
  }

  close(fd: number): number {
    if (!this.#fds.delete(fd)) return -EBADF;
    return this.#backend.close(fd);
  }
}

