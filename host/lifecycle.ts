// The life of one pidfd: its fd (open; released by the library after the reap; closed by the
// user), the process's exit status once any wait on it has seen it, and every way of waiting.
// The waiting rules of docs/api.md ("Waiting: who reaps, what a second wait returns") live here
// and nowhere else: PidFd and Subprocess delegate to this class.
import { PIDFD_INFO_EXIT, SIGKILL, WEXITED, WNOHANG, WNOWAIT } from "./constants.js";
import { RESULT, type Core } from "./core.js";
import { fail, PidFdError } from "./errors.js";
import { EAGAIN, EBADF, EBUSY, ECHILD, EINTR, EOPNOTSUPP, EPERM, ESRCH, ETIMEDOUT } from "./errno.js";
import { ExitStatus } from "./exit_status.js";
import { PIDFD_INFO_ALL, readExit, readInfo, type PidFdInfo } from "./info.js";
import { signalName } from "./signals.js";
import { claimPidfd, markSpawnedChild, releasePidfd } from "./threads.js";
import { closeWatches, readyWithin, watch, watchFor, WaitLimit, type Readiness, type ReadinessListener, type Wait, type Watch } from "./watch.js";


/** Who reaps the process: we do (waitid WEXITED), or someone else does and we only look (WNOWAIT). */
export type Reaping = "reap" | "observe";

/**
 * How long a wait, by default, gives the parent of an exited non-child to reap it: 1000 ms. A
 * parent that reaps its children does so within milliseconds; an orphan whose reaper never reaps
 * (PID 1 in some containers) stays a zombie for ever, and then the wait resolves null instead of
 * hanging.
 */
export const REAP_GRACE_MS = 1000;

/** What a non-blocking look at an exit found, when it found no status. */
const RUNNING = 0;   // our child still runs: wait for the pidfd to poll readable
const NO_STATUS = 1; // not our child, and no status published yet: running, or a zombie
const GONE = 2;      // reaped by someone else, and this kernel keeps no status (before 6.15)
type ExitProbe = ExitStatus | typeof RUNNING | typeof NO_STATUS | typeof GONE;

/** The rejection of the waits pending when the fd is released after the reap: they return the status. */
const RELEASED = Symbol("released");
const released = (): unknown => RELEASED;
/** The rejection of the waits pending when the user closes the fd. */
const closedWhileWaiting = (): unknown => new PidFdError({ errno: EBADF, syscall: "waitid", detail: "waitAsync: the PidFd was closed while waiting" });


let warnedAboutGc = false;
/**
 * Closes the fd of a PidFd that became unreachable unclosed, as Node does for a FileHandle. No
 * unregister token: close() leaves the registration, whose callback then finds the fd gone
 * (an unregister token costs an identity hash and a dictionary entry on every open and close).
 */
const dropped = new FinalizationRegistry<Lifecycle>((life) => life.closeDropped());

/** Pending PidFds at most: a longer synchronous run of opens registers them in batches of this many. */
const PENDING_MAX = 256;
/**
 * The Lifecycles made since the last registerPending(), each holding its PidFd strongly until
 * then: one still open then is registered with `dropped`; one closed by then never is. A
 * registration costs more than the rest of an open + close (its cell also keeps the PidFd alive
 * through young-generation collections), and most PidFds are closed soon after they are made.
 * Slots 0..pendingCount-1, in an array of fixed length (emptying a pushed array frees its storage,
 * and every batch grew it again). The PidFd waits in its Lifecycle, not in a second array: a new
 * object written into this old array costs a write barrier's slow path each time.
 */
const pendingLives = new Array<Lifecycle | undefined>(PENDING_MAX).fill(undefined);
let pendingCount = 0;
let registerQueued = false;
const resolved = Promise.resolve();

/** Registers the pending PidFds still open with `dropped`, and forgets the others. */
function registerPending(): void {
  for (let i = 0; i < pendingCount; i++) {
    pendingLives[i]!.registerWaitingHolder();
    pendingLives[i] = undefined;
  }
  pendingCount = 0;
}

/** The end of the job that made pending PidFds (one microtask at a time, however many batches ran). */
function registerQueuedPending(): void {
  registerQueued = false;
  registerPending();
}

/**
 * What only the pidfd of a supervised child has (Lifecycle.superviseChild): one spawn() started,
 * or an orphan adopted as subreaper.
 */
interface ChildSupervision {
  /** What keeps the owner (the Subprocess, or the adopted orphan's PidFd) reachable while the child runs. */
  owner: object | undefined;
  /** The supervision's current wait, and whether it keeps the event loop alive (Subprocess.ref/unref). */
  wait: Watch | undefined;
  referenced: boolean;
  /** The holder whose registration with `dropped` waits for the supervision's end (registerDropped()). */
  holderToRegister: object | undefined;
  /** What PIDFD_GET_INFO answered right after the reap (the info, or -errno), once the fd was released then and it was read. */
  infoAfterReap: PidFdInfo | number | undefined;
  /**
   * Until infoAfterReap is first read: the mask PIDFD_GET_INFO returned at the release and the
   * result area it filled (saved, not decoded: most children's info is never asked for).
   */
  savedInfo: { mask: number; area: number[] } | undefined;
  /** Called at the supervision's end, just before its promise settles: with the status, or undefined for a failure. */
  ended: ((status: ExitStatus | undefined) => void) | undefined;
  /** What settles the promise superviseChild() returned. */
  resolveExit: (status: ExitStatus) => void;
  rejectExit: (error: unknown) => void;
}

/**
 * One pidfd's fd and what is known of its process's exit. The fd is owned: no other Lifecycle,
 * in any thread, may hold the same number (threads.ts).
 */
export class Lifecycle implements ReadinessListener {
  #fd: number;
  #closed = false;
  readonly #core: Core;
  /** How a wait treats the exit of a child (PidFd.reaping). */
  reaping: Reaping = "observe";
  /** The exit status, once any wait on this pidfd has seen it: every later wait returns it. */
  #status: ExitStatus | undefined;
  /** The process is known to be reaped (by a wait of ours, or ESRCH seen): it can never run again. */
  #reaped = false;
  /**
   * Set for the pidfd of a supervised child (superviseChild()), the only way that child is
   * reaped: closing it kills and reaps the child. Apart, so that every other PidFd is smaller to
   * make (most are opened and closed).
   */
  #child: ChildSupervision | undefined;
  /**
   * The process's unique id once read (it never changes, reaped or not), or after a release the
   * -errno its reading gave.
   */
  #id: bigint | number | undefined;
  /** Whether a wait has put the fd in the thread's epoll set: only then has its close waits to end. */
  #watched = false;
  /** The holder closeWhenDropped() was given, until it is registered (or found closed). */
  #pendingHolder: object | undefined;

  /** Takes ownership of `fd` (a pidfd); its closing goes to `core`'s close. */
  constructor(fd: number, core: Core) {
    if (!claimPidfd(core, fd, this)) {
      throw new PidFdError({ errno: EBUSY, method: "fromFd", detail: `fd ${fd} already belongs to another PidFd` });
    }
    this.#fd = fd;
    this.#core = core;
  }

  /**
   * Closes the fd when `holder` is garbage-collected unclosed (once per process, a warning says
   * so). Registered at the end of the current job (a microtask), or after PENDING_MAX more
   * PidFds, if still open then; held strongly until then.
   */
  closeWhenDropped(holder: object): void {
    // A full batch is registered before this one joins the next: never within its own
    // constructor, so that spawn() has made it a supervised child first (registerDropped()).
    if (pendingCount === PENDING_MAX) registerPending();
    this.#pendingHolder = holder;
    pendingLives[pendingCount++] = this;
    if (!registerQueued) {
      registerQueued = true;
      // A promise reaction, not queueMicrotask(): Node wraps each of those in an AsyncResource.
      void resolved.then(registerQueuedPending);
    }
  }

  /** registerPending()'s part: registers the waiting holder if the fd is still open, and lets it go. */
  registerWaitingHolder(): void {
    const holder = this.#pendingHolder!;
    this.#pendingHolder = undefined;
    if (this.#fd >= 0) this.registerDropped(holder);
  }

  /**
   * Registers `holder` with `dropped`. A supervised child's pidfd is reachable while the child
   * runs (its wait is in the thread's epoll set) and released at the reap: it is registered only
   * if the supervision ends with the fd still open (the child reaped by someone else).
   */
  registerDropped(holder: object): void {
    const child = this.#child;
    if (child?.owner) child.holderToRegister = holder;
    else dropped.register(holder, this);
  }

  /** The fd, or -1 once closed or released. */
  get fd(): number {
    return this.#fd;
  }

  /** Whether the user has closed it. */
  get closed(): boolean {
    return this.#closed;
  }

  /** PIDFD_GET_INFO's answer right after the reap, once the fd has been released (undefined once closed). */
  get infoAfterReap(): PidFdInfo | number | undefined {
    const child = this.#child;
    if (this.#closed || !child) return undefined;
    const saved = child.savedInfo;
    if (saved) {
      this.#core.restoreResult(saved.area);
      child.infoAfterReap = readInfo(this.#core, saved.mask);
      child.savedInfo = undefined;
    }
    return child.infoAfterReap;
  }

  /**
   * The process's id if already known (no syscall: it never changes), the -errno kept when the fd
   * was released, or undefined. EBADF once closed.
   */
  knownId(): bigint | number | undefined {
    this.checkNotClosed("getId", "name_to_handle_at");
    return this.#id;
  }

  /** Records the id read by getId(). */
  rememberId(id: bigint): bigint {
    return (this.#id = id);
  }

  /**
   * The fd for `method`, which makes `syscall`: EBADF once the user closed it (the number may
   * belong to another file by now), ESRCH once it was released after the reap.
   */
  openFd(method: string, syscall: string): number {
    if (this.#fd >= 0) return this.#fd;
    if (this.#closed) throw new PidFdError({ errno: EBADF, syscall, detail: `${method}: the PidFd is closed` });
    throw new PidFdError({ errno: ESRCH, syscall, detail: `${method}: the process has exited and been reaped` });
  }

  /**
   * EBADF for `method` (which makes `syscall`) once the user closed it; a released fd is no error
   * for the methods that answer from memory.
   */
  checkNotClosed(method: string, syscall: string): void {
    if (this.#closed) this.openFd(method, syscall);
  }

  /**
   * Whether the process can still receive signals (signal 0 through pidfd_send_signal): false
   * once reaped, and then for good without a syscall. EPERM counts as alive.
   */
  isAlive(): boolean {
    this.checkNotClosed("isAlive", "pidfd_send_signal");
    if (this.#fd < 0 || this.#reaped) return false;
    const rc = this.#core.exports.send_signal(this.#fd, 0, 0);
    if (rc === 0 || rc === -EPERM) return true;
    if (rc === -ESRCH) return !(this.#reaped = true);
    return fail(rc, "pidfd_send_signal", "isAlive: signal 0");
  }

  /**
   * pidfd_send_signal(sig, scope flags) for `method`: 0 or -errno. Once the process is known to
   * be reaped, -ESRCH without a syscall, as isAlive() answers: a reaped process never comes back.
   */
  sendSignal(sig: number, scope: number, method: string, value?: number): number {
    const fd = this.openFd(method, "pidfd_send_signal");
    if (this.#reaped) return -ESRCH;
    const rc = value === undefined
      ? this.#core.exports.send_signal(fd, sig, scope)
      : this.#core.exports.queue_signal(fd, sig, scope, value, process.pid, process.getuid?.() ?? 0);
    if (rc === -ESRCH) this.#reaped = true;
    return rc;
  }

  /** process_mrelease(2) for `method`: 0 (released, or nothing left to release) or -errno. */
  releaseMemory(method: string): number {
    const fd = this.openFd(method, "process_mrelease");
    if (this.#reaped) return 0;
    return this.#core.exports.release_memory(fd);
  }

  /** Blocks until the process exits (waitid without WNOHANG); the remembered status if known. */
  wait(): ExitStatus {
    const status = this.#look(0, "wait");
    if (status === null) fail(-EAGAIN, "waitid", "wait: the pidfd is non-blocking and the process still runs (use waitAsync())");
    return status;
  }

  /** The status if the process has exited (WNOHANG), else null; the remembered status if known. */
  tryWait(): ExitStatus | null {
    return this.#look(WNOHANG, "tryWait");
  }

  #look(extra: number, method: string): ExitStatus | null {
    this.checkNotClosed(method, "waitid");
    const known = this.#known(this.reaping === "reap");
    if (known) return known;
    const exit = this.#waitid(this.openFd(method, "waitid"), WEXITED | extra | (this.reaping === "observe" ? WNOWAIT : 0));
    if (exit === ECHILD) fail(-ECHILD, "waitid", `${method}: not a child of this process, or reaped by someone else`);
    return exit;
  }

  /** The remembered status, unless a wait that must `reap` still owes the reap. */
  #known(reap: boolean): ExitStatus | undefined {
    return this.#reaped || !reap ? this.#status : undefined;
  }

  /**
   * waitid(P_PIDFD) through the core: the status (remembered), null when nothing is ready yet,
   * or ECHILD; throws any other error.
   */
  #waitid(fd: number, options: number): ExitStatus | null | typeof ECHILD {
    let rc: number;
    do rc = this.#core.exports.wait(fd, options);
    while (rc === -EINTR);
    if (rc >= 0) return this.#remember(ExitStatus.fromRaw(rc), !(options & WNOWAIT));
    if (rc === -EAGAIN) return null;
    if (rc === -ECHILD && this.#status) return this.#remember(this.#status, true); // seen exiting, then reaped elsewhere
    if (rc === -ECHILD) return ECHILD;
    return fail(rc, "waitid", rc === -EOPNOTSUPP ? "waitid(P_PIDFD) needs Linux 5.4" : undefined);
  }

  /** Records the status (the first one seen stays); after a reap, releases a Subprocess's fd. */
  #remember(status: ExitStatus, reaped: boolean): ExitStatus {
    this.#status ??= status;
    if (reaped) {
      this.#reaped = true;
      if (this.#child && !this.#closed) this.#release(true);
    }
    return this.#status;
  }

  /** Looks, without blocking, for the exit status: waitid (reaping if `reap`), then PIDFD_INFO_EXIT for a non-child. */
  #probe(fd: number, reap: boolean): ExitProbe {
    const exit = this.#waitid(fd, WEXITED | WNOHANG | (reap ? 0 : WNOWAIT));
    if (exit === null) return RUNNING;
    if (exit !== ECHILD) return exit;
    const got = this.#core.exports.get_info(fd, PIDFD_INFO_EXIT);
    if (got >= 0 && got & PIDFD_INFO_EXIT) {
      // Reaped: its status, unless the kernel's exit_code is no process's end (a kernel thread's).
      const status = readExit(this.#core);
      return status ? this.#remember(status, true) : ((this.#reaped = true), GONE);
    }
    if (got >= 0) return NO_STATUS;
    if (got === -ESRCH) return (this.#reaped = true), GONE;
    if (got === -EOPNOTSUPP) return NO_STATUS; // no PIDFD_GET_INFO (before 6.13): wait for the reap, then null
    return fail(got, "ioctl", "PIDFD_GET_INFO (exit)");
  }

  /**
   * Resolves with the status once the process has exited (see PidFd.waitAsync()): the remembered
   * status at once if known; else readiness of the pidfd from the thread's epoll set, then waitid,
   * or for a non-child the reap (EPOLLHUP, at most `grace` ms) and PIDFD_INFO_EXIT; null when
   * the status cannot be known.
   */
  async waitAsync(limit: WaitLimit, grace: number): Promise<ExitStatus | null> {
    if (this.#core.simulated) {
      throw new PidFdError({ errno: EOPNOTSUPP, method: "waitAsync", detail: "waiting needs the real kernel: libuv polls real fds" });
    }
    const reap = this.reaping === "reap";
    for (let exited = false; ; exited = true) {
      // A wait pending at the reap gets the status, even if close() ran before it resumed.
      const seen = exited ? this.#known(reap) : undefined;
      if (seen) return seen;
      limit.check();
      this.checkNotClosed("waitAsync", "waitid");
      const known = this.#known(reap);
      if (known) return known;
      const fd = this.openFd("waitAsync", "waitid");
      const found = this.#probe(fd, reap);
      if (found instanceof ExitStatus) return found;
      if (found === GONE) return null;
      if (found === NO_STATUS && exited) {
        await untilReleased(readyWithin(this.#watch(fd, "reap"), grace, limit));
        if (this.#status) return this.#status;
        // Reaped (its status published), or still a zombie: one reparented to this process (a
        // subreaper) since is ours to wait for now.
        const after = this.#probe(this.openFd("waitAsync", "waitid"), reap);
        return after instanceof ExitStatus ? after : null;
      }
      await untilReleased(limit.for(this.#watch(fd, "exit")));
    }
  }

  /**
   * Makes this the pidfd of a child that only it reaps (spawn()): it waits in the thread's epoll
   * set from now on (a failure throws here, synchronously), reaps the child when the pidfd polls
   * readable, and releases the fd then, all within the event loop's callback (watchFor()).
   * Resolves with the status, whoever obtained it, right after `ended` has run with it (with
   * undefined before a rejection; what `ended` throws rejects the promise). `owner` (the
   * Subprocess, or an adopted orphan's PidFd) stays reachable until then. `killTree`: if this
   * thread ends first, the child's whole tree is killed, not the child alone (threads.ts). The
   * process's id, which the release keeps, is read now, while the child starts, rather than on the
   * way from its exit to `exited`.
   */
  superviseChild(owner: object, killTree: boolean, ended?: (status: ExitStatus | undefined) => void): Promise<ExitStatus> {
    this.reaping = "reap";
    const fd = this.openFd("spawn", "epoll_ctl");
    // The supervision exists before its watch: fdReady() and watchFailed() find it.
    const exited = new Promise<ExitStatus>((resolveExit, rejectExit) => {
      this.#child = {
        owner, wait: undefined, referenced: true, holderToRegister: undefined, infoAfterReap: undefined, savedInfo: undefined,
        ended, resolveExit, rejectExit,
      };
    });
    try {
      this.#child!.wait = this.#watchFor(fd, true);
    } catch (error) {
      this.#child = undefined; // a supervision exists only while its child is watched
      throw error;
    }
    markSpawnedChild(this.#core, fd, killTree); // killed and reaped if this thread ends first (threads.ts)
    if (this.#id === undefined) {
      const id = this.#readId(fd);
      if (typeof id === "bigint") this.#id = id; // a failure is read again at the release
    }
    return exited;
  }

  /** watch(): a wait on `fd` in the thread's epoll set, which its close will end. */
  #watch(fd: number, kind: Readiness): Wait {
    this.#watched = true;
    return watch(fd, kind);
  }

  /** watchFor() of the supervised child's exit, this Lifecycle told (fdReady()). */
  #watchFor(fd: number, referenced: boolean): Watch {
    this.#watched = true;
    return watchFor(fd, "exit", referenced, this);
  }

  /** The process's id (name_to_handle_at or fstat, through the core), or -errno. */
  #readId(fd: number): bigint | number {
    const rc = this.#core.exports.get_id(fd);
    return rc < 0 ? rc : this.#core.resultU64(RESULT.id);
  }

  /** Whether the supervision of the child keeps the event loop alive (it does by default). */
  referenceChild(referenced: boolean): void {
    const child = this.#child;
    if (!child) return;
    child.referenced = referenced;
    child.wait?.setReferenced(referenced);
  }

  /**
   * The supervised child's pidfd polls readable (its watch, from the event loop's callback): reaps
   * it, or waits again if it still runs. Never throws: a failure rejects the supervision.
   */
  fdReady(): void {
    const child = this.#child!;
    try {
      if (this.#reaped && this.#status) return this.#endSupervision(child, this.#status);
      const found = this.#probe(this.#fd, true);
      if (found instanceof ExitStatus) return this.#endSupervision(child, found);
      if (found !== RUNNING) {
        throw new PidFdError({ errno: ECHILD, syscall: "waitid",
          detail: "the child was reaped by another waiter in this process (waitid(P_ALL)?); its status is lost" });
      }
      child.wait = this.#watchFor(this.#fd, child.referenced);
    } catch (error) {
      this.#endSupervision(child, undefined, error);
    }
  }

  /** The supervision's watch ended unready: a wait or close() reaped the child meanwhile, or the watch failed. */
  watchFailed(reason: unknown): void {
    this.#endSupervision(this.#child!, this.#reaped ? this.#status : undefined, reason);
  }

  /** Ends the supervision with `status`, else with `error`; the holder is registered with `dropped` if the fd is still open. */
  #endSupervision(child: ChildSupervision, status: ExitStatus | undefined, error?: unknown): void {
    const { holderToRegister: holder, ended } = child;
    child.owner = child.wait = child.holderToRegister = child.ended = undefined;
    if (holder && this.#fd >= 0) dropped.register(holder, this);
    try {
      ended?.(status);
    } catch (thrown) {
      status = undefined;
      error = thrown;
    }
    if (status) child.resolveExit(status);
    else child.rejectExit(error);
  }

  /**
   * Stops the process: `first`, up to `timeout` ms for the exit, then `escalate` and up to
   * `escalateTimeout` ms; rejects with ETIMEDOUT (naming both signals) if it still has not exited.
   */
  async terminate(first: number, timeout: number, escalate: number, escalateTimeout: number): Promise<ExitStatus | null> {
    this.checkNotClosed("terminate", "pidfd_send_signal");
    const known = this.#known(this.reaping === "reap");
    if (known) return known;
    for (const [signal, ms] of [[first, timeout], [escalate, escalateTimeout]] as const) {
      this.#signalUnlessGone(signal);
      using limit = new WaitLimit("terminate", undefined, ms);
      try {
        return await this.waitAsync(limit, REAP_GRACE_MS);
      } catch (error) {
        if (!(error instanceof PidFdError && error.code === "ETIMEDOUT")) throw error;
      }
    }
    throw new PidFdError({ errno: ETIMEDOUT, method: "terminate",
      detail: `the process outlived ${nameOf(first)} (${timeout} ms) and ${nameOf(escalate)} (${escalateTimeout} ms)` });
  }

  /** pidfd_send_signal, ignoring ESRCH (the process has been reaped already). */
  #signalUnlessGone(sig: number): void {
    if (this.#reaped) return;
    const rc = this.#core.exports.send_signal(this.openFd("terminate", "pidfd_send_signal"), sig, 0);
    if (rc === -ESRCH) this.#reaped = true;
    else if (rc < 0) fail(rc, "pidfd_send_signal", `terminate: signal ${sig}`);
  }

  /**
   * Closes the fd (closing twice does nothing). The waits pending on it reject with EBADF. A
   * Subprocess's child that still runs is killed (SIGKILL) and reaped first: it never stays a
   * zombie, and its status is remembered.
   */
  close(): void {
    if (this.#closed) return;
    // Closed first: the kill's reap then releases nothing, and the release below ends the
    // pending waits with EBADF, as any close() does (the supervision still gets the status).
    this.#closed = true;
    try {
      if (this.#child && this.#fd >= 0 && !this.#reaped) this.#killAndReap(this.#fd);
    } finally {
      if (this.#fd >= 0) this.#release(false);
    }
  }

  /** SIGKILL and a blocking waitid: a child killed so exits at once. */
  #killAndReap(fd: number): void {
    this.#core.exports.send_signal(fd, SIGKILL, 0);
    this.#waitid(fd, WEXITED);
  }

  /**
   * Gives the fd back to the kernel. After a reap (`afterReap`), what the kernel still says about
   * the reaped process (its id unless known, PIDFD_GET_INFO with the exit status) is kept first, and the waits
   * pending on the fd return the status; else they reject with EBADF.
   */
  #release(afterReap: boolean): void {
    const fd = this.#fd;
    const core = this.#core;
    if (afterReap) {
      this.#id ??= this.#readId(fd);
      const info = core.exports.get_info(fd, PIDFD_INFO_ALL);
      const child = this.#child!;
      if (info < 0) child.infoAfterReap = info;
      else child.savedInfo = { mask: info, area: core.saveResult() };
    }
    this.#fd = -1;
    if (this.#watched) closeWatches(fd, afterReap ? released : closedWhileWaiting);
    releasePidfd(core, fd);
    const rc = core.close(fd);
    if (rc < 0) fail(rc, "close", `fd ${fd}`);
  }

  /** The FinalizationRegistry's callback: the holder was dropped with the fd still open. */
  closeDropped(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    if (!warnedAboutGc) {
      warnedAboutGc = true;
      process.emitWarning(`Closing pidfd ${fd} on garbage collection: close() every PidFd (or declare it with \`using\`)`,
        { type: "Warning", code: "PIDFD_CLOSED_ON_GC" });
    }
    this.#closed = true;
    this.#fd = -1;
    releasePidfd(this.#core, fd);
    this.#core.close(fd);
  }
}

function nameOf(signal: number): string {
  return signalName(signal) ?? `signal ${signal}`;
}

/** Waits for `wait`; a release after the reap (RELEASED) ends it like readiness does. */
async function untilReleased<T>(wait: Promise<T>): Promise<T | true> {
  try {
    return await wait;
  } catch (error) {
    if (error === RELEASED) return true;
    throw error;
  }
}
