// class PidFd: a process named by a file descriptor. Argument checks and open/closed state live
// here; everything the kernel says is asked of and decoded by the core.
import type { ChildProcess } from "node:child_process";
import type net from "node:net";
import util from "node:util";
import {
  NAMESPACE_TYPES, OPEN_NONBLOCK, OPEN_THREAD, PIDFD_INFO_CGROUPID, PIDFD_INFO_CREDS, SIGKILL, SIGNAL_SCOPE_PROCESS,
  SIGNAL_SCOPE_PROCESS_GROUP, SIGNAL_SCOPE_THREAD,
} from "./constants.js";
import { Core, RESULT } from "./core.js";
import { asPidFdError, checkAbortSignal, checkInt, fail, failIn, failureMessage, illegalConstructor, invalidArg, PidFdError } from "./errors.js";
import type { ExitStatus } from "./exit_status.js";
import { PIDFD_INFO_ALL, readCreds, readInfo, type Credentials, type PidFdInfo } from "./info.js";
import { Lifecycle, REAP_GRACE_MS, type Reaping } from "./lifecycle.js";
import { kernelCore } from "./runtime.js";
import { signalNumber, type Signal } from "./signals.js";
import { checkNoHoles, checkOptions, oneOf, type OptionTypes } from "./validate.js";
import { EAGAIN, EBADF, EINTR, EINVAL, ENODATA, ENOENT, ENOSYS, EOPNOTSUPP, ESRCH } from "./errno.js";
import { bootId, decodeHandle, encodeHandle, formatPidfile, readPidfile, writeAtomically } from "./identity.js";
import { WaitLimit } from "./watch.js";
import { childrenOf, killTrees, signalTrees, treeOf, type KilledProcess, type KillTreeOptions, type ProcessTree } from "./tree.js";

export { REAP_GRACE_MS, type Reaping };
export type { KilledProcess, KillTreeOptions, ProcessTree, ProcessTreeNode } from "./tree.js";


/** The namespaces a pidfd can name, as in the PIDFD_GET_*_NAMESPACE ioctls (NAMESPACE_TYPES gives their codes). */
export type NamespaceType = keyof typeof NAMESPACE_TYPES;

export { NAMESPACE_TYPES };

/** Options of PidFd.open(). */
export interface OpenOptions {
  /** Name a thread (a tid) rather than a thread group (PIDFD_THREAD, Linux 6.9). */
  thread?: boolean;
  /** O_NONBLOCK: waiting on a running process gives "not yet" instead of blocking (Linux 5.10). */
  nonblock?: boolean;
  /** The id (getId()) the process must have: if the pid now names another process, ESRCH. */
  id?: bigint;
  /**
   * The boot `id` was read in (/proc/sys/kernel/random/boot_id): pidfs counts ids anew at each
   * boot, so an id from another boot names no process of this one (ESRCH). Needs `id`.
   */
  bootId?: string;
}
const OPEN_OPTIONS: OptionTypes = { thread: "boolean", nonblock: "boolean", id: "bigint", bootId: "string" };
/** PidFd.open()'s default options: nothing to allocate or check. */
const NO_OPEN_OPTIONS: OpenOptions = Object.freeze({});
/**
 * This process's pid, read on first use (not at load: a startup snapshot would keep the builder's):
 * it never changes, and `process.pid` costs a getter call (the global `process`) and a dictionary
 * lookup, about 12 ns, on every getPid() of another process.
 */
let processPidRead = 0;
function processPid(): number {
  return processPidRead ||= process.pid;
}

/** Options of PidFd.fromPidfile(). */
export interface PidfileOptions {
  /**
   * Open a pidfile that holds a bare pid (no identity line, as other tools write them) by its
   * pid alone, unverified: the pid may name another process by now. Default false: refused (ENODATA).
   */
  legacy?: boolean;
}
const PIDFILE_OPTIONS: OptionTypes = { legacy: "boolean" };

/** What PidFd.fromSocket() found at the other end of a unix socket. */
export interface SocketPeer {
  /** The peer: the process that connected (or created the socket pair), as the kernel recorded it. */
  pidfd: PidFd;
  /**
   * True when the kernel gave the pidfd itself (SO_PEERPIDFD, Linux 6.5): it names the peer even
   * if the peer has exited since. False for the fallback before 6.5 (SO_PEERCRED's pid, then
   * pidfd_open): the peer may have exited and its pid been reused in between, so the pidfd may
   * name another process. Authenticate with a `verified` peer only.
   */
  verified: boolean;
}

/** Options of PidFd.sendSignal(). */
export interface SendSignalOptions {
  /** Which threads get the signal (Linux 6.9). */
  scope?: SignalScope;
  /** Send it as sigqueue(3) does, with this int32 as si_value (si_code SI_QUEUE). */
  value?: number;
}
const SEND_SIGNAL_OPTIONS: OptionTypes = { scope: "checked", value: "number" };

/** Options of PidFd.kill(). */
export interface KillOptions {
  /** After the SIGKILL, free the process's memory at once: process_mrelease(2), Linux 5.15. */
  reclaim?: boolean;
}
const KILL_OPTIONS: OptionTypes = { reclaim: "boolean" };

/** Which threads a signal goes to (pidfd_send_signal flags, Linux 6.9). */
export type SignalScope = "thread" | "process" | "process-group";
const SCOPES: Readonly<Record<SignalScope, number>> = {
  thread: SIGNAL_SCOPE_THREAD, process: SIGNAL_SCOPE_PROCESS, "process-group": SIGNAL_SCOPE_PROCESS_GROUP,
};

/** Options of PidFd.waitAsync(). */
export interface WaitOptions {
  /** Aborting it rejects the wait with Node's AbortError; the pidfd stays usable. */
  signal?: AbortSignal;
  /** Milliseconds after which the wait rejects with a PidFdError ETIMEDOUT; the pidfd stays usable. */
  timeout?: number;
  /**
   * How long to wait, once a process that is not our child has exited, for its parent to reap
   * it (only the reap publishes its status); default REAP_GRACE_MS. After that, null, unless it
   * has become our child meanwhile (a zombie reparented to this process, a child subreaper).
   */
  reapGrace?: number;
}
const WAIT_OPTIONS: OptionTypes = { signal: "checked", timeout: "number", reapGrace: "number" };

/** Options of PidFd.terminate(). */
export interface TerminateOptions {
  /** The first signal; default SIGTERM. */
  signal?: Signal;
  /** Milliseconds to wait after it before escalating; default 5000. */
  timeout?: number;
  /** The signal sent when the process outlives `timeout`; default SIGKILL. */
  escalate?: Signal;
  /**
   * Milliseconds to wait after `escalate` before rejecting with ETIMEDOUT; default `timeout`,
   * and at least 1000 (a SIGKILLed process may take a moment to release its memory).
   */
  escalateTimeout?: number;
}
const TERMINATE_OPTIONS: OptionTypes = { signal: "checked", timeout: "number", escalate: "checked", escalateTimeout: "number" };
const KILL_TREE_OPTIONS: OptionTypes = {
  signal: "checked", timeout: "number", escalate: "checked", escalateTimeout: "number", reapGrace: "number",
};

/** The Lifecycle of a PidFd, for spawn() (not exported from the package). */
export let lifecycleOf: (pidfd: PidFd) => Lifecycle;

/**
 * A process file descriptor: names one process for as long as it is open, even after the pid
 * has been reused. Obtain one with PidFd.open(), PidFd.self() or PidFd.fromFd(); close it with
 * close() or a `using` declaration (one dropped unclosed is closed when garbage-collected).
 */
export class PidFd implements Disposable {
  /** The fd, the exit status once seen, and every wait (host/lifecycle.ts). */
  readonly #life: Lifecycle;
  readonly #core: Core;
  /** The pid, once getPid() has found that this pidfd names our own process; else 0. */
  #ownPid = 0;

  static {
    lifecycleOf = (pidfd) => pidfd.#life;
  }

  /** Use PidFd.open(), PidFd.self() or PidFd.fromFd(); from JavaScript, `new PidFd()` is a TypeError. */
  protected constructor(fd: number, core: Core) {
    if (!(core instanceof Core)) {
      throw illegalConstructor("a PidFd comes from PidFd.open(), PidFd.self(), PidFd.fromFd() or PidFd.fromChild(), or from spawn()");
    }
    this.#life = new Lifecycle(fd, core);
    this.#core = core;
    this.#life.closeWhenDropped(this);
  }

  /** `new cls(fd, core)` for an fd we just opened: closes it if no PidFd can take it. */
  static #adopt(cls: typeof PidFd, fd: number, core: Core): PidFd {
    try {
      return new cls(fd, core);
    } catch (error) {
      core.close(fd);
      throw error;
    }
  }

  /** The core this class's static methods use: the real kernel, unless bound with `PidFd.on()`. */
  protected static get core(): Core {
    return kernelCore();
  }

  /**
   * A PidFd class whose static methods work through `core` (e.g. a simulated kernel, or a
   * policy-restricted host) instead of the real kernel.
   */
  static on(core: Core): typeof PidFd {
    return class extends this {
      protected static override get core(): Core {
        return core;
      }
    };
  }

  /**
   * Opens a pidfd for `pid` with `pidfd_open(2)` (Linux 5.3). Prefer a pidfd obtained when the
   * process was created (spawn()): between learning a pid and opening it, the pid may be reused
   * (pass `options.id` to rule that out).
   * @throws {PidFdError} ESRCH when no such process exists (or it is exiting); ENOSYS before
   *   Linux 5.3; ENOTSUP when `thread` (Linux 6.9) or `nonblock` (5.10) is too new.
   * @throws {RangeError} for a pid that is not an integer in 1..2^31-1.
   */
  static open(pid: number, options: OpenOptions = NO_OPEN_OPTIONS): PidFd {
    checkInt("pid", pid, 1, 0x7fffffff);
    if (options !== NO_OPEN_OPTIONS) checkOptions("options", options, OPEN_OPTIONS);
    if (options.bootId !== undefined && options.id === undefined) throw invalidArg("options.bootId", "given with options.id", options.bootId, "ERR_INVALID_ARG_VALUE");
    const core = this.core;
    const thread = options.thread === true;
    const nonblock = options.nonblock === true;
    const fd = core.exports.open(pid, (thread ? OPEN_THREAD : 0) | (nonblock ? OPEN_NONBLOCK : 0));
    if (fd < 0) {
      if (fd === -ENOSYS) fail(fd, "pidfd_open", `pid ${pid}; pidfds need Linux 5.3`, pid);
      if (fd === -EOPNOTSUPP) {
        const needs = thread ? "PIDFD_THREAD needs Linux 6.9" : "PIDFD_NONBLOCK needs Linux 5.10";
        fail(fd, "pidfd_open", `pid ${pid}; ${needs}`, pid);
      }
      if (fd === -ENOENT && !thread) fail(fd, "pidfd_open", `pid ${pid} is a thread of another process; pass { thread: true }`, pid);
      fail(fd, "pidfd_open", `pid ${pid}`, pid);
    }
    const pidfd = PidFd.#adopt(this, fd, core);
    if (options.id !== undefined) pidfd.#expectId(options.id, pid, options.bootId);
    return pidfd;
  }

  #expectId(expected: bigint, pid: number, boot: string | undefined): void {
    let actual: bigint;
    try {
      if (boot !== undefined && boot !== bootId()) {
        throw new PidFdError({ errno: ESRCH, syscall: "pidfd_open", pid,
          detail: `id ${expected} is of another boot (${boot}): pid ${pid} names another process now` });
      }
      actual = this.getId();
    } catch (error) {
      this.close();
      throw error;
    }
    if (actual !== expected) {
      this.close();
      throw new PidFdError({ errno: ESRCH, syscall: "pidfd_open", pid,
        detail: `pid ${pid} now names another process: id ${actual}, expected ${expected}` });
    }
  }

  /**
   * Reopens the process of a handle from toHandle(), in this process or another:
   * open_by_handle_at(2) on pidfs (Linux 6.13), else (6.9-6.12) pidfd_open of the handle's pid
   * checked against its id. A process of another boot, a reaped process, or a pid reused since
   * gives ESRCH, never another process. A zombie is still found (its pid is not free yet).
   * @throws {PidFdError} ESRCH as above; ENOTSUP before Linux 6.9.
   * @throws {TypeError} ERR_INVALID_ARG_VALUE for bytes that are no handle.
   */
  static fromHandle(handle: Uint8Array): PidFd {
    const identity = decodeHandle("handle", handle);
    const core = this.core;
    const boot = bootId();
    if (identity.bootId !== boot) {
      failIn("fromHandle", ESRCH, `the handle is from another boot (${identity.bootId}): its process is gone`, identity.pid);
    }
    // Any pidfd will do as the mount fd (pidfs is one filesystem): one of our own process.
    const mount = core.exports.open(processPid(), 0);
    if (mount < 0) fail(mount, "pidfd_open", "a pidfd of this process, as open_by_handle_at's mount fd");
    const id = Buffer.alloc(8);
    id.writeBigUInt64LE(identity.id);
    core.toScratch(id);
    const fd = core.exports.open_handle(mount);
    core.close(mount);
    if (fd >= 0) return PidFd.#adopt(this, fd, core);
    // Before 6.13 (no pidfs file handles), or a C library without open_by_handle_at: by the pid, checked.
    if (fd === -EOPNOTSUPP || fd === -ENOSYS) return this.open(identity.pid, { id: identity.id, bootId: identity.bootId });
    fail(fd, "open_by_handle_at", fd === -ESRCH ? `process ${identity.pid}:${identity.id} is gone` : `process ${identity.pid}:${identity.id}`, identity.pid);
  }

  /**
   * Opens the process a pidfile names (one from writePidfile(): line 1 the pid, line 2 its
   * identity): pidfd_open of the pid, checked against the identity's id and boot. A pid
   * reused since, or a pidfile of another boot, gives ESRCH, never another process.
   * @throws {PidFdError} ESRCH as above; ENODATA for a pidfile with a bare pid and no identity
   *   (unless `options.legacy`); EINVAL for a malformed pidfile; Node's ENOENT, EACCES, ... when
   *   the file cannot be read.
   */
  static fromPidfile(file: string, options: PidfileOptions = {}): PidFd {
    if (typeof file !== "string") throw invalidArg("file", "of type string", file);
    checkOptions("options", options, PIDFILE_OPTIONS);
    const contents = readPidfile(file);
    if (contents.id === null || contents.bootId === null) {
      if (options.legacy === true) return this.open(contents.pid);
      failIn("fromPidfile", ENODATA, `pidfile ${file} holds a bare pid and no identity: its process cannot be verified (pass { legacy: true } to open pid ${contents.pid} anyway)`, contents.pid);
    }
    return this.open(contents.pid, { id: contents.id, bootId: contents.bootId });
  }

  /**
   * The process at the other end of a connected unix socket (a `net.Socket`, or a socket fd):
   * getsockopt(SO_PEERPIDFD) (Linux 6.5), which names the peer itself; from Linux 6.16 the peer
   * may have exited and been reaped (its pidfd then reports it exited). Before 6.5: SO_PEERCRED's
   * pid and pidfd_open, which races with pid reuse: `verified` false.
   * @throws {PidFdError} ENODATA when the socket has no peer (not connected, not a unix socket);
   *   ENOTSOCK for an fd that is no socket; ESRCH for a peer that has exited (SO_PEERPIDFD before
   *   6.16, and the fallback once the peer is reaped).
   * @throws {TypeError} for a socket without an fd of its own (not connected yet, or a TLS socket).
   */
  static fromSocket(socket: net.Socket | number): SocketPeer {
    const fd = socketFd(socket);
    const core = this.core;
    const pidfd = core.exports.peer_pidfd(fd);
    if (pidfd >= 0) return { pidfd: PidFd.#adopt(this, pidfd, core), verified: true };
    if (pidfd !== -EOPNOTSUPP) fail(pidfd, "getsockopt", `SO_PEERPIDFD of fd ${fd}`);
    const pid = core.exports.peer_pid(fd);
    if (pid < 0) fail(pid, "getsockopt", `SO_PEERCRED of fd ${fd}`);
    return { pidfd: this.open(pid), verified: false };
  }

  /** A pidfd for this process (pidfd_open of process.pid). */
  static self(): PidFd {
    return this.open(processPid());
  }

  /**
   * Adopts an fd that already is a pidfd (inherited, received over a socket, ...): the PidFd
   * owns it from now on and closes it.
   * @throws {PidFdError} EBADF when `fd` is closed or is not a pidfd; EBUSY when a PidFd
   *   already owns it.
   */
  static fromFd(fd: number): PidFd {
    checkInt("fd", fd, 0, 0x7fffffff);
    const core = this.core;
    const kind = core.exports.is_pidfd(fd);
    if (kind < 0) fail(kind, "fstatfs", `fd ${fd}`);
    if (kind === 0) fail(-EBADF, "fstatfs", `fd ${fd} is not a pidfd`);
    return new this(fd, core);
  }

  /**
   * A pidfd for a child of Node's `child_process`: pidfd_open(2) (Linux 5.3) of `child.pid`,
   * then waitid(WNOWAIT) to prove the child is still ours and unreaped (so the pidfd cannot name
   * another process that reused the pid). Call it in the same tick as `spawn()`. The PidFd never
   * reaps the child (`reaping` "observe"): Node does, and its 'exit' event still fires.
   * @throws {PidFdError} ESRCH when the child did not start or has already been reaped.
   * @throws {TypeError} when `child` is not a ChildProcess.
   */
  static fromChild(child: ChildProcess): PidFd {
    // node:child_process loaded here, not at import: it costs the package's start a few ms.
    if (!(child instanceof process.getBuiltinModule("node:child_process").ChildProcess)) {
      throw invalidArg("child", "an instance of ChildProcess", child);
    }
    const pid = child.pid;
    if (pid === undefined) fail(-ESRCH, "pidfd_open", "the child process did not start");
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(-ESRCH, "pidfd_open", `child ${pid} has exited and Node has reaped it: its pid may name another process now`, pid);
    }
    const pidfd = this.open(pid);
    // libuv reaps every exited child before it runs their 'exit' handlers: inside one of them,
    // `child` may be reaped already with exitCode still null. Prove it is still our unreaped child.
    try {
      pidfd.tryWait();
    } catch (error) {
      pidfd.close();
      if (!(error instanceof PidFdError && error.code === "ECHILD")) throw error;
      fail(-ESRCH, "pidfd_open", `child ${pid} has been reaped: its pid may name another process now`, pid);
    }
    return pidfd;
  }

  /**
   * The file descriptor; -1 once closed, and once a Subprocess has released it after reaping
   * its child (the PidFd then answers from what it kept: see docs/api.md, "Waiting").
   */
  get fd(): number {
    return this.#life.fd;
  }

  /** Whether close() has been called. */
  get closed(): boolean {
    return this.#life.closed;
  }

  /** The core this PidFd works through. */
  protected get core(): Core {
    return this.#core;
  }

  /**
   * The process's pid in our pid namespace (the tid for a thread pidfd): PIDFD_GET_INFO
   * (Linux 6.13), else /proc/self/fdinfo. For our own process, read once: it cannot be reaped
   * while we run, so later calls make no syscall.
   * @throws {PidFdError} ESRCH once the process has been reaped; EREMOTE when it is outside
   *   our pid namespace.
   */
  getPid(): number {
    const fd = this.#life.openFd("getPid", "ioctl");
    if (this.#ownPid !== 0) return this.#ownPid;
    const pid = this.#core.exports.get_pid(fd);
    if (pid < 0) fail(pid, "ioctl", "PIDFD_GET_INFO pid");
    // Our own process (or its main thread) lives as long as this code runs, and its pid never
    // changes: later calls answer without a syscall. Any other process may be reaped at any time.
    if (pid === processPid() && !this.#core.simulated) this.#ownPid = pid;
    return pid;
  }

  /**
   * The parent's pid (0 when the parent is outside our pid namespace): PIDFD_GET_INFO.
   * @throws {PidFdError} ENOTSUP before Linux 6.13; ESRCH once reaped.
   */
  getPpid(): number {
    const ppid = this.#core.exports.get_ppid(this.#life.openFd("getPpid", "ioctl"));
    return ppid >= 0 ? ppid : this.#infoFailure(ppid, "ppid");
  }

  /**
   * The process's unique 64-bit id: assigned by pidfs, never reused while the system runs. From
   * the pidfs file handle (name_to_handle_at, Linux 6.13), else the pidfs inode (fstat, 6.9);
   * on 32-bit, whose st_ino is truncated, the file handle only. Read once: the id never changes,
   * so later calls make no syscall. Known after the reap too.
   * @throws {PidFdError} ENOTSUP before Linux 6.9 (no pidfs), and on 32-bit before Linux 6.13.
   */
  getId(): bigint {
    const rc = this.#life.knownId() ?? this.#core.exports.get_id(this.#life.openFd("getId", "name_to_handle_at"));
    if (typeof rc === "bigint") return rc;
    if (rc < 0) fail(rc, "name_to_handle_at", rc === -EOPNOTSUPP ? "unique process ids need pidfs, Linux 6.9" : undefined);
    return this.#life.rememberId(this.#core.resultU64(RESULT.id));
  }

  /**
   * A handle that names this process for as long as it exists, in any process of this boot:
   * 44 self-describing bytes (docs/api.md, "Identities that survive") holding the pid, the
   * unique id (getId(), as the pidfs file handle of name_to_handle_at holds it) and the boot
   * id. PidFd.fromHandle() reopens it, or gives ESRCH once the process is gone.
   * @throws {PidFdError} ENOTSUP before Linux 6.9 (no unique ids); ESRCH once reaped.
   */
  toHandle(): Buffer {
    if (this.#life.closed) this.#life.openFd("toHandle", "name_to_handle_at"); // EBADF naming this method
    const id = this.getId();
    return encodeHandle({ pid: this.getPid(), id, bootId: bootId() });
  }

  /**
   * The real, effective, saved and filesystem user and group ids: PIDFD_GET_INFO.
   * @throws {PidFdError} ENOTSUP before Linux 6.13; ESRCH once reaped.
   */
  getCreds(): Credentials {
    const got = this.#core.exports.get_info(this.#life.openFd("getCreds", "ioctl"), PIDFD_INFO_CREDS);
    if (got < 0) this.#infoFailure(got, "creds");
    if (!(got & PIDFD_INFO_CREDS)) fail(-ESRCH, "ioctl", "PIDFD_GET_INFO returned no credentials");
    return readCreds(this.#core);
  }

  /**
   * The id of the process's cgroup (v2): PIDFD_GET_INFO.
   * @throws {PidFdError} ENOTSUP before Linux 6.13 or without cgroups; ESRCH once reaped.
   */
  getCgroupId(): bigint {
    const got = this.#core.exports.get_info(this.#life.openFd("getCgroupId", "ioctl"), PIDFD_INFO_CGROUPID);
    if (got < 0) this.#infoFailure(got, "cgroup id");
    if (!(got & PIDFD_INFO_CGROUPID)) fail(-EOPNOTSUPP, "ioctl", "PIDFD_GET_INFO returned no cgroup id (no cgroups?)");
    return this.#core.resultU64(RESULT.cgroupid);
  }

  /**
   * Everything PIDFD_GET_INFO gives, in one syscall: ids, credentials, cgroup, and once the
   * process has been reaped (Linux 6.15) its exit status, which any pidfd holder can read.
   * @throws {PidFdError} ENOTSUP before Linux 6.13; ESRCH once reaped before Linux 6.15.
   */
  getInfo(): PidFdInfo {
    const kept = this.#life.infoAfterReap;
    if (kept !== undefined) return typeof kept === "number" ? this.#infoFailure(kept, "info") : copyInfo(kept);
    const got = this.#core.exports.get_info(this.#life.openFd("getInfo", "ioctl"), PIDFD_INFO_ALL);
    if (got < 0) this.#infoFailure(got, "info");
    return readInfo(this.#core, got);
  }

  #infoFailure(rc: number, what: string): never {
    fail(rc, "ioctl", rc === -EOPNOTSUPP ? `PIDFD_GET_INFO (${what}) needs Linux 6.13` : `PIDFD_GET_INFO (${what})`);
  }

  /**
   * A new fd (O_CLOEXEC) for one of the process's namespaces: PIDFD_GET_<type>_NAMESPACE
   * (Linux 6.11). The caller owns the fd and must close it.
   * @throws {PidFdError} ENOTSUP before Linux 6.11 or when the namespace type is not
   *   configured; ESRCH once the process has exited; EACCES without ptrace access.
   */
  getNamespace(type: NamespaceType): number {
    const code = namespaceCode(type, "type");
    const fd = this.#core.exports.get_namespace(this.#life.openFd("getNamespace", "ioctl"), code);
    if (fd < 0) {
      fail(fd, "ioctl", fd === -EOPNOTSUPP
        ? `PIDFD_GET_${type.toUpperCase()}_NAMESPACE needs Linux 6.11 and a kernel with that namespace type`
        : `PIDFD_GET_${type.toUpperCase()}_NAMESPACE`);
    }
    return fd;
  }

  /**
   * Moves the calling thread into the process's namespaces of the given types: setns(pidfd,
   * flags) (Linux 5.8). In Node the calling thread is the main thread; entering a user or mount
   * namespace from a multi-threaded process fails with EINVAL.
   */
  setNamespace(types: NamespaceType | readonly NamespaceType[]): void {
    const list = Array.isArray(types) ? types : [types as NamespaceType];
    if (list.length === 0) throw invalidArg("types", "a namespace type or a non-empty array of them", types, "ERR_INVALID_ARG_VALUE");
    checkNoHoles("types", list);
    let bits = 0;
    for (const type of list) bits |= 1 << namespaceCode(type, "types");
    const rc = this.#core.exports.set_namespace(this.#life.openFd("setNamespace", "setns"), bits);
    if (rc < 0) fail(rc, "setns", list.join(", "));
  }

  /**
   * Runs `fn` with "/proc/<pid>" of this process, then checks that the pid still names this
   * process (pidfd-util-rs access_proc): if the process was reaped meanwhile, what `fn` read may
   * describe another process that got the pid, and ESRCH is thrown instead. A promise returned
   * by `fn` is checked once it settles.
   * @throws {PidFdError} ESRCH when the process is gone (before or after `fn`).
   */
  accessProc<T>(fn: (procDir: string) => T): T {
    if (typeof fn !== "function") throw invalidArg("fn", "of type function", fn);
    this.#life.checkNotClosed("accessProc", "ioctl");
    const pid = this.getPid();
    const verify = (): void => {
      const fd = this.#life.fd;
      const after = fd < 0 ? (this.#life.closed ? -EBADF : -ESRCH) : this.#core.exports.get_pid(fd);
      if (after !== pid) {
        fail(after < 0 && after !== -ESRCH ? after : -ESRCH, "ioctl",
          `accessProc: process ${pid} exited while /proc/${pid} was being read`, pid);
      }
    };
    let value: T;
    try {
      value = fn(`/proc/${pid}`);
    } catch (error) {
      verify();
      throw error;
    }
    if (value instanceof Promise) {
      return value.then(
        (resolved) => { verify(); return resolved; },
        (error: unknown) => { verify(); throw error; },
      ) as T;
    }
    verify();
    return value;
  }

  /**
   * Sends a signal (default SIGTERM) through the pidfd: pidfd_send_signal(2) (Linux 5.1); it
   * cannot reach another process that reused the pid. `scope` (Linux 6.9) picks one thread, the
   * whole process, or the process group. `value` (an int32) sends it as sigqueue(3) does: a
   * siginfo with si_code SI_QUEUE, the value as si_value.sival_int and this process's pid and
   * uid as the sender, which a handler installed with SA_SIGINFO (or signalfd, sigwaitinfo) reads.
   * @throws {PidFdError} ESRCH once the process has been reaped; EPERM without permission;
   *   ENOTSUP for a scope before Linux 6.9.
   * @throws {TypeError|RangeError} for an unknown signal name or a number outside 0..64, or a
   *   value that is no int32.
   */
  sendSignal(signal: Signal = "SIGTERM", options?: SendSignalOptions): void {
    const sig = signalNumber(signal);
    let scope = 0;
    let value: number | undefined;
    if (options !== undefined) {
      checkOptions("options", options, SEND_SIGNAL_OPTIONS);
      if (options.scope !== undefined) scope = oneOf("options.scope", SCOPES, options.scope);
      if (options.value !== undefined) value = checkInt("options.value", options.value, -0x80000000, 0x7fffffff);
    }
    const rc = this.#life.sendSignal(sig, scope, "sendSignal", value);
    if (rc < 0) {
      const failure = { errno: -rc, syscall: "pidfd_send_signal", detail: rc === -EOPNOTSUPP ? "signal scopes need Linux 6.9" : `signal ${signal}` };
      throw asPidFdError(new Error(failureMessage(failure)), failure); // the stack trace starts here: bench/throwing.ts
    }
  }

  /**
   * Sends SIGKILL. With `reclaim`, then frees the process's memory at once with
   * process_mrelease(2) (Linux 5.15), as Android's lmkd and systemd-oomd do, rather than when the
   * dying process gets to it. pidfd_send_signal marks the whole process as exiting before it
   * returns, so process_mrelease sees the kill and there is nothing to wait for. Returns whether
   * the memory was released (or was already freed: the process has exited); false without
   * `reclaim`, and when the kernel could not release it now: before Linux 5.15 (ENOSYS), while
   * the process dumps core or shares its memory with a process that lives on (EINVAL), or when
   * part of it stayed locked after a retry (EAGAIN). The process is killed in every case.
   * @throws {PidFdError} as sendSignal(): ESRCH once the process has been reaped, EPERM; EBADF
   *   once closed.
   */
  kill(options?: KillOptions): boolean {
    this.#life.checkNotClosed("kill", "pidfd_send_signal");
    const reclaim = options === undefined ? false : checkOptions("options", options, KILL_OPTIONS).reclaim === true;
    this.sendSignal(SIGKILL);
    if (!reclaim) return false;
    let rc = this.#life.releaseMemory("kill");
    // EAGAIN: the reaper skipped a locked mapping; EINTR: a signal interrupted its wait for the lock.
    if (rc === -EAGAIN || rc === -EINTR) rc = this.#life.releaseMemory("kill");
    // ESRCH: the process was reaped after the SIGKILL, so its memory is freed already.
    if (rc === 0 || rc === -ESRCH) return true;
    if (rc === -ENOSYS || rc === -EINVAL || rc === -EAGAIN || rc === -EINTR) return false;
    return fail(rc, "process_mrelease", "kill: reclaim");
  }

  /**
   * Whether the process can still receive signals (signal 0 probe, pidfd_send_signal(2), Linux
   * 5.1): false once it has been reaped. A zombie (exited, not yet reaped) still counts as alive.
   * Never throws for a dead process. Death is final (a pidfd never names another process), so
   * once false it stays false without another syscall.
   */
  isAlive(): boolean {
    return this.#life.isAlive();
  }

  /**
   * A duplicate of the process's fd `targetFd` in this process: pidfd_getfd(2) (Linux 5.6). The
   * new fd is O_CLOEXEC and the caller owns it.
   * @throws {PidFdError} EBADF when the target has no such fd; EPERM without ptrace access;
   *   ENOSYS before Linux 5.6.
   */
  getRemoteFd(targetFd: number): number {
    checkInt("targetFd", targetFd, 0, 0x7fffffff);
    const fd = this.#core.exports.get_remote_fd(this.#life.openFd("getRemoteFd", "pidfd_getfd"), targetFd);
    if (fd < 0) fail(fd, "pidfd_getfd", fd === -ENOSYS ? "pidfd_getfd needs Linux 5.6" : `fd ${targetFd}`);
    return fd;
  }

  /**
   * How wait(), tryWait() and waitAsync() treat the exit of a child: "observe" (the default:
   * look without reaping, WNOWAIT, so that whoever owns the child, such as Node's child_process,
   * still reaps it) or "reap" (collect the status and free the pid: only for a child that nothing
   * else will reap; spawn() sets it on its Subprocess's pidfd). Reaping a child_process child
   * would leave Node waiting for its 'exit' event forever.
   */
  get reaping(): Reaping {
    return this.#life.reaping;
  }

  set reaping(value: Reaping) {
    if (value !== "reap" && value !== "observe") throw invalidArg("reaping", '"reap" or "observe"', value, "ERR_INVALID_ARG_VALUE");
    this.#life.reaping = value;
  }

  /**
   * Blocks until the process (a child of ours) exits and returns its status: waitid(P_PIDFD)
   * (Linux 5.4). Reaps the child only when `reaping` is "reap" (the default, "observe", looks).
   * Once any wait on this PidFd has seen the exit, every wait returns that same status.
   * @throws {PidFdError} ECHILD when it is not our child, or someone else reaped it before this
   *   PidFd saw it exit; EAGAIN on a non-blocking pidfd whose process still runs (use waitAsync()).
   */
  wait(): ExitStatus {
    return this.#life.wait();
  }

  /**
   * The exit status if the child has exited, else null, without blocking (waitid WNOHANG); the
   * remembered status once any wait on this PidFd has seen the exit.
   * @throws {PidFdError} ECHILD as wait().
   */
  tryWait(): ExitStatus | null {
    return this.#life.tryWait();
  }

  /**
   * Resolves with the exit status once the process has exited, for any process, without a
   * thread or a timer: readiness comes from the event loop (the pidfd polls readable at exit,
   * Linux 5.3; the pidfd sits in the epoll set shared by every wait of the thread, which its libuv loop
   * polls, while someone waits on it). Once any wait on this PidFd has seen the exit, every wait
   * (pending or later) gets that same status. Where the status comes from depends on who the
   * process belongs to:
   * - our own child (`reaping` "reap", e.g. spawn()): waitid(P_PIDFD, WEXITED|WNOHANG) reaps it
   *   (Linux 5.4).
   * - a child of Node's child_process (`reaping` "observe", PidFd.fromChild()): waitid with
   *   WNOWAIT, never a reap, so Node's 'exit' event still fires; if Node has reaped it first,
   *   PIDFD_INFO_EXIT (Linux 6.15), else null.
   * - any other process: the status is published to non-parents only when its parent reaps it,
   *   through PIDFD_GET_INFO with PIDFD_INFO_EXIT (Linux 6.15). After the exit, waitAsync waits
   *   up to `reapGrace` ms (default REAP_GRACE_MS) for the reap (the pidfd hangs up, EPOLLHUP)
   *   and resolves the status, or null: before Linux 6.15, or for a zombie that nobody reaps.
   *   It never hangs on a zombie. A zombie that is reparented to this process meanwhile (when it
   *   is a child subreaper, PR_SET_CHILD_SUBREAPER) is waited for as a child at the grace's end.
   * The pidfd's own flags are left alone (it is never set O_NONBLOCK).
   * @throws {AbortError} (rejects) when `options.signal` aborts; the pidfd stays usable.
   * @throws {PidFdError} (rejects) ETIMEDOUT after `options.timeout` ms; EBADF when the PidFd is
   *   or gets closed; ENOTSUP on a simulated kernel (PidFd.on(core) with a SimulatedKernel).
   */
  async waitAsync(options: WaitOptions = {}): Promise<ExitStatus | null> {
    checkOptions("options", options, WAIT_OPTIONS);
    const signal = checkAbortSignal("options.signal", options.signal);
    const timeout = options.timeout === undefined ? undefined : checkInt("options.timeout", options.timeout, 0, 0x7fffffff);
    const grace = options.reapGrace === undefined ? REAP_GRACE_MS : checkInt("options.reapGrace", options.reapGrace, 0, 0x7fffffff);
    using limit = new WaitLimit("waitAsync", signal, timeout);
    limit.check();
    // Awaited here, in a method of this PidFd, so that a pending wait keeps the PidFd reachable.
    return await this.#life.waitAsync(limit, grace);
  }

  /**
   * Stops the process: sends `signal` (default SIGTERM) with pidfd_send_signal(2) (Linux 5.1),
   * waits up to `timeout` ms (default 5000) for it to exit, then sends `escalate` (default
   * SIGKILL) and waits up to `escalateTimeout` ms. Resolves with what waitAsync() gives (the
   * status, or null when it cannot be known). A process that is already gone is not an error.
   * @throws {PidFdError} (rejects) ETIMEDOUT, naming both signals, when the process outlives
   *   both waits: the total time is bounded by `timeout` + `escalateTimeout`.
   * @throws {TypeError|RangeError} for a bad signal or timeout.
   */
  async terminate(options: TerminateOptions = {}): Promise<ExitStatus | null> {
    checkOptions("options", options, TERMINATE_OPTIONS);
    const first = signalNumber(options.signal ?? "SIGTERM", "options.signal");
    const escalate = signalNumber(options.escalate ?? "SIGKILL", "options.escalate");
    const timeout = checkInt("options.timeout", options.timeout ?? 5000, 0, 0x7fffffff);
    const escalateTimeout = checkInt("options.escalateTimeout", options.escalateTimeout ?? Math.max(timeout, 1000), 0, 0x7fffffff);
    return await this.#life.terminate(first, timeout, escalate, escalateTimeout);
  }

  /**
   * Pidfds of the process's direct children, read from /proc/<pid>/task/<tid>/children of every
   * thread (CONFIG_PROC_CHILDREN, Linux 3.5; without it, every /proc/<n>/stat whose ppid is the
   * pid), then each verified after it is opened: its parent pid
   * (PIDFD_GET_INFO, Linux 6.13; else its /proc/<pid>/stat) is still this process's pid, and
   * this process is still alive, so a pid reused by another process never slips in. A child
   * that exits meanwhile is left out. The caller owns the pidfds returned and closes them.
   * @throws {PidFdError} ESRCH when this process has exited (been reaped); ENOTSUP on a
   *   simulated kernel (trees are read from the real /proc).
   */
  children(): PidFd[] {
    this.#life.checkNotClosed("children", "ioctl");
    return childrenOf(this, this.#core.simulated);
  }

  /**
   * The process and all its descendants, found as children() finds children, top down: a tree
   * of nodes with pid, id, ppid and a pidfd each. The tree owns the pidfds it opened (close() or
   * `using` closes them); this PidFd stays the caller's. A member that exits during the walk stays
   * in the tree without its children, which went to its reaper (init or the nearest subreaper).
   * @throws {PidFdError} ESRCH when this process has been reaped; ENOTSUP on a simulated kernel.
   */
  descendants(): ProcessTree {
    this.#life.checkNotClosed("descendants", "ioctl");
    return treeOf(this, false, this.#core.simulated);
  }

  /**
   * The tree under `root`: a pid (opened here, and closed by the tree's close()) or a PidFd
   * (which stays the caller's): see descendants(). `PidFd.tree(1)` is every process of the pid
   * namespace but the kernel's threads; the trees of init and kthreadd are read
   * from one scan of /proc, each process opened, its ppid read through its pidfd.
   */
  static tree(root: number | PidFd): ProcessTree {
    if (root instanceof PidFd) {
      root.#life.checkNotClosed("tree", "ioctl");
      return root.descendants();
    }
    const pidfd = this.open(root);
    try {
      return treeOf(pidfd, true, pidfd.#core.simulated);
    } catch (error) {
      pidfd.close();
      throw error;
    }
  }

  /**
   * Sends `signal` (default SIGTERM) to the process and every descendant, each through its own
   * pidfd, without waiting: the tree is first stopped top down (SIGSTOP, so that it stops
   * growing: a process with a signal pending cannot fork), every member signalled, then sent
   * SIGCONT (unless `signal` is SIGKILL or a stop signal, which leaves the tree stopped) so that
   * it acts on the signal. Returns what was done to
   * each member; every pidfd it opened is closed again.
   * @throws {PidFdError} EINVAL when the tree contains this process; ESRCH when this process
   *   has been reaped; ENOTSUP on a simulated kernel.
   */
  signalTree(signal: Signal = "SIGTERM"): KilledProcess[] {
    this.#life.checkNotClosed("signalTree", "pidfd_send_signal");
    return signalTrees([this], signalNumber(signal), this.#core.simulated);
  }

  /**
   * Stops the whole tree: stops it growing (SIGSTOP top down), sends `signal` (default SIGTERM)
   * to every member through its own pidfd, then SIGCONT; waits up to `timeout` ms (default 5000)
   * for every member (waitAsync: our children reaped, the others' status through
   * PIDFD_INFO_EXIT, Linux 6.15); then stops the survivors again, takes in what they forked
   * meanwhile, and sends them `escalate` (default SIGKILL; null for none), waiting up to
   * `escalateTimeout` ms. Resolves with one result per member (pid, id, ppid, the signals sent,
   * whether it exited, its status: see `reapGrace`); a member that outlived both waits has
   * `exited` false. Closes
   * every pidfd it opened. See docs/api.md, "Process trees", for what can escape a tree.
   * @throws {PidFdError} EINVAL when the tree contains this process; ENOTSUP on a simulated kernel.
   * @throws {TypeError|RangeError} for a bad signal or timeout.
   */
  async killTree(options: KillTreeOptions = {}): Promise<KilledProcess[]> {
    this.#life.checkNotClosed("killTree", "pidfd_send_signal");
    checkOptions("options", options, KILL_TREE_OPTIONS);
    const first = signalNumber(options.signal ?? "SIGTERM", "options.signal");
    const escalate = options.escalate === null ? null : signalNumber(options.escalate ?? "SIGKILL", "options.escalate");
    const timeout = checkInt("options.timeout", options.timeout ?? 5000, 0, 0x7fffffff);
    const escalateTimeout = checkInt("options.escalateTimeout", options.escalateTimeout ?? Math.max(timeout, 1000), 0, 0x7fffffff);
    const grace = checkInt("options.reapGrace", options.reapGrace ?? 0, 0, 0x7fffffff);
    return await killTrees([this], first, timeout, escalate, escalateTimeout, grace, this.#core.simulated);
  }

  /**
   * Closes the pidfd: close(2). Closing twice does nothing; every other method throws EBADF
   * afterwards, and the waits pending on it reject with EBADF. The pidfd of a Subprocess whose
   * child still runs kills (SIGKILL) and reaps the child first, so that it never stays a zombie.
   */
  close(): void {
    this.#life.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** util.inspect(): `PidFd { fd: 21, pid: 4242, state: 'open' }`; state "released" after the reap, pid then null. */
  [util.inspect.custom](_depth: number, options: util.InspectOptionsStylized, inspect: typeof util.inspect): string {
    const state = this.closed ? "closed" : this.fd < 0 ? "released" : "open";
    let pid: number | null = null;
    try { pid = this.getPid(); } catch { /* closed, released, or the process has exited */ }
    return `${this.constructor.name} ${inspect({ fd: this.fd, pid, state }, options)}`;
  }
}

function namespaceCode(type: unknown, name: string): number {
  return oneOf(name, NAMESPACE_TYPES, type);
}

/** A copy of a kept PidFdInfo that the caller may change; its ExitStatus (immutable) is shared. */
function copyInfo(info: PidFdInfo): PidFdInfo {
  return {
    ...info,
    creds: info.creds && { ...info.creds },
    coredump: info.coredump && { ...info.coredump },
  };
}

/**
 * Writes a pidfile for the process of `pidfd` at `file`, atomically (a temporary file in the same
 * directory, O_CLOEXEC, mode 0644, fsync, rename): line 1 the pid, as every tool that reads
 * pidfiles expects; line 2 `pidfd-identity 1 <boot id> <id>`, which PidFd.fromPidfile() checks so
 * that a reused pid or a reboot gives ESRCH. Before Linux 6.9 (no unique ids) line 1 only.
 * @throws {PidFdError} ESRCH once the process is reaped; Node's errors when the file cannot be written.
 * @throws {TypeError} when `file` is no string or `pidfd` no PidFd.
 */
export function writePidfile(file: string, pidfd: PidFd): void {
  if (typeof file !== "string") throw invalidArg("file", "of type string", file);
  if (!(pidfd instanceof PidFd)) throw invalidArg("pidfd", "an instance of PidFd", pidfd);
  let id: bigint | null = null;
  try {
    id = pidfd.getId();
  } catch (error) {
    if (!(error instanceof PidFdError && error.code === "ENOTSUP")) throw error;
  }
  const pid = pidfd.getPid();
  writeAtomically(file, formatPidfile(pid, id === null ? null : { pid, id, bootId: bootId() }));
}

/** The fd of a connected socket, checked. */
function socketFd(socket: net.Socket | number): number {
  if (typeof socket === "number") return checkInt("socket", socket, 0, 0x7fffffff);
  if (!(socket instanceof process.getBuiltinModule("node:net").Socket)) throw invalidArg("socket", "an instance of net.Socket or an fd", socket);
  const fd = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0) {
    throw invalidArg("socket", "a connected socket with an fd of its own (a unix socket, not TLS over one)", socket, "ERR_INVALID_ARG_VALUE");
  }
  return fd;
}
