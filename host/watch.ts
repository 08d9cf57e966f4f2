// Readiness of pidfds on the event loop, without timers: every pidfd a thread waits on sits in
// that thread's epoll set (epoll_ctl, one call per pidfd), and that epoll fd is the only fd watched
// for us: under Node by the thread's libuv loop (one koffi.node.poll handle per thread, so never
// two handles on one fd), under Bun and Deno by a helper thread (watch_thread.ts). A wakeup drains
// every ready pidfd at once. Each pidfd is in the set EPOLLONESHOT: once reported it is disarmed
// by the kernel, so a pidfd whose waiters have all fired needs no EPOLL_CTL_DEL (its close takes
// it out of the set, once no copy of its open file is left: docs/architecture.md) and is re-armed
// (EPOLL_CTL_MOD) if waited on again. The pidfds themselves are never set O_NONBLOCK. The set
// and its watcher are closed at the thread's end (threads.ts).
import { EBADF, EEXIST, EINTR, ENOENT, ETIMEDOUT } from "./errno.js";
import { EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD, EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLONESHOT, EPOLLOUT } from "./constants.js";
import { abortError, invalidArg, PidFdError } from "./errors.js";
import { FdTable } from "./fd_table.js";
import { kernelCore } from "./runtime.js";
import type { PollHandle } from "./sys/syscalls.js";
import { holdFd, letGo } from "./threads.js";
import { helperThreadReadable } from "./watch_thread.js";

/**
 * What to wait for: "exit", the pidfd polls readable (the whole thread group has exited, Linux
 * 5.3); "reap", it hangs up (EPOLLHUP: the process has been reaped, Linux 6.9). A pidfd with
 * only "reap" waiters is in the set with no events requested: epoll then reports EPOLLHUP and
 * EPOLLERR only.
 */
export type Readiness = "exit" | "reap";

/** One waiter's view of a watch. */
export interface Watch {
  /** Stops waiting (failing with `reason`); the last waiter of a pidfd takes it out of the set. */
  cancel(reason: unknown): void;
  /** Whether this wait keeps the event loop alive (default true; Subprocess.unref() clears it). */
  setReferenced(referenced: boolean): void;
}

/** A watch that a promise reports (watch()). */
export interface Wait extends Watch {
  /** Resolves when the fd is ready; rejects with the reason given to cancel() or closeWatches(). */
  readonly promise: Promise<void>;
}

/**
 * Who a watch made by watchFor() reports to, once, synchronously: from the event loop's callback
 * (then it must not throw: the other ready pidfds are settled after it), or from cancel() or
 * closeWatches().
 */
export interface ReadinessListener {
  /** The fd is ready. */
  fdReady(): void;
  /** The watch ended unready, with the reason given to cancel() or closeWatches(). */
  watchFailed(reason: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  /** Counted in referencedWaiters while it waits. */
  referenced: boolean;
  /** Fired, cancelled or closed: it waits no more. */
  done: boolean;
}

/** Ready pidfds taken per epoll_wait: as many struct epoll_event as the core's scratch area holds. */
const DRAIN_BATCH = 256;

/** The waiters of one pidfd, by kind. */
interface Entry {
  exit: Set<Waiter> | undefined;
  reap: Set<Waiter> | undefined;
}

/** By fd, the pidfds waited on, each armed in the epoll set (an FdTable: no table churn per child). */
const registry = new FdTable<Entry>();

/** The fds in `registry`. */
function registeredFds(): number[] {
  const fds: number[] = [];
  registry.forEach((_entry, fd) => fds.push(fd));
  return fds;
}

/**
 * By fd, true for the pidfds still in the epoll set but disarmed (reported once, EPOLLONESHOT,
 * with no waiter left): a new wait re-arms them with EPOLL_CTL_MOD; closeWatches() forgets them
 * before the close. An FdTable, not a Set: a Set's add and delete on every child reallocate its table.
 */
const disarmed = new FdTable<true>();

/** This thread's epoll set and the libuv handle polling it (referenced only while a referenced waiter waits). */
let epfd = -1;
let handle: PollHandle | undefined;
/** How many waiters keep the event loop alive: the handle is referenced while this is above 0. */
let referencedWaiters = 0;
const readyFds = new Int32Array(DRAIN_BATCH);
const readyEvents = new Uint32Array(DRAIN_BATCH);

/** The events a pidfd with these waiters is armed for (EPOLLHUP and EPOLLERR are always reported). */
function interest(entry: Entry): number {
  return (entry.exit ? EPOLLIN : 0) | EPOLLONESHOT;
}

/**
 * Views of the core's scratch area, made once (and again only if the core's memory has grown):
 * one struct epoll_event for epoll_ctl, DRAIN_BATCH of them for epoll_wait, and the decoded
 * (fd, events) pairs.
 */
interface ScratchViews {
  event: Uint8Array;
  events: Uint8Array;
  pairs: Int32Array;
}
let views: ScratchViews | undefined;
function scratchViews(): ScratchViews {
  if (views && views.events.byteLength !== 0) return views;
  const core = kernelCore();
  const size = core.exports.epoll_event_size() >>> 0;
  const events = core.scratch(DRAIN_BATCH * size);
  return (views = { event: events.subarray(0, size), events, pairs: new Int32Array(events.buffer, events.byteOffset, DRAIN_BATCH * 2) });
}

/** epoll_ctl with a struct epoll_event {events, data: fd} that the core encodes. */
function epollControl(op: number, fd: number, events: number): number {
  const sys = kernelCore().process;
  if (op === EPOLL_CTL_DEL) return sys.epollCtl(epfd, op, fd, null);
  kernelCore().exports.encode_epoll_event(events, fd);
  return sys.epollCtl(epfd, op, fd, scratchViews().event);
}

/**
 * epoll_wait without blocking: copies up to DRAIN_BATCH ready (fd, events) pairs, which the core
 * decodes from struct epoll_event, into readyFds / readyEvents; returns how many.
 */
function drainReady(): number {
  const core = kernelCore();
  const { events, pairs } = scratchViews();
  const count = core.process.epollWait(epfd, events, DRAIN_BATCH, 0);
  if (count <= 0 || core.exports.decode_epoll_events(count) < 0) return 0;
  for (let i = 0; i < count; i++) {
    readyFds[i] = pairs[2 * i]!;
    readyEvents[i] = pairs[2 * i + 1]! >>> 0;
  }
  return count;
}

/**
 * Blocks this thread until `fd` can be written to (a full pipe, socket or terminal has room, or
 * its reader is gone), through an epoll set of its own (epoll_create1 O_CLOEXEC, closed before
 * returning): 0, or -errno (EPERM for a regular file, which is never full).
 */
export function waitWritable(fd: number): number {
  const core = kernelCore();
  const sys = core.process;
  const set = sys.epollCreate(core.exports.o_cloexec() >>> 0);
  if (set < 0) return set;
  try {
    const { event, events } = scratchViews();
    core.exports.encode_epoll_event(EPOLLOUT, fd);
    const added = sys.epollCtl(set, EPOLL_CTL_ADD, fd, event);
    if (added < 0) return added;
    let rc: number;
    do rc = sys.epollWait(set, events, 1, -1);
    while (rc === -EINTR);
    return rc < 0 ? rc : 0;
  } finally {
    sys.close(set);
  }
}

/** The thread's epoll set as an owner of its fd (threads.ts closes it at the thread's end). */
const epollSetOwner = { close: closeEpollSet };

/**
 * How this thread's epoll set reaches its event loop: "uv_poll", one libuv poll handle (Node), or
 * "thread", a helper thread blocked in epoll_wait that posts to the loop (watch_thread.ts): the
 * default under Bun, whose libuv emulation has no uv_poll, and Deno, where two concurrent waits
 * hang on it. PIDFD_WATCHER=thread or =uv_poll chooses (read when the thread's set is made).
 * @throws {TypeError} ERR_INVALID_ARG_VALUE for another PIDFD_WATCHER value.
 */
export function watcherKind(): "uv_poll" | "thread" {
  const chosen = process.env.PIDFD_WATCHER;
  if (chosen === "thread" || chosen === "uv_poll") return chosen;
  if (chosen !== undefined && chosen !== "") {
    throw invalidArg("process.env.PIDFD_WATCHER", "\"thread\" or \"uv_poll\"", chosen, "ERR_INVALID_ARG_VALUE");
  }
  return "Bun" in globalThis || "Deno" in globalThis ? "thread" : "uv_poll";
}

/** This thread's epoll fd, created (epoll_create1 O_CLOEXEC) and polled by libuv on first use. */
function epollSet(): number {
  if (epfd >= 0) return epfd;
  const sys = kernelCore().process;
  const fd = sys.epollCreate(kernelCore().exports.o_cloexec() >>> 0);
  if (fd < 0) throw new PidFdError({ errno: -fd, syscall: "epoll_create1" });
  try {
    holdFd(fd, "epoll", epollSetOwner);
    handle = watcherKind() === "thread" ? helperThreadReadable(fd, onReady) : sys.pollReadable(fd, onPollReady);
  } catch (error) {
    letGo(fd);
    sys.close(fd);
    throw error;
  }
  epfd = fd;
  return epfd;
}

/**
 * Closes the epoll set: its libuv handle first (uv_poll_stop takes the fd out of libuv's own
 * epoll set at once), then the fd. Waits still pending are rejected with EBADF.
 */
function closeEpollSet(): void {
  if (epfd < 0) return;
  const closed = (): PidFdError => new PidFdError({ errno: EBADF, syscall: "waitid", detail: "waitAsync: the thread is ending" });
  for (const fd of registeredFds()) closeWatches(fd, closed);
  disarmed.clear();
  handle!.close();
  handle = handleReferenced = undefined;
  letGo(epfd);
  kernelCore().process.close(epfd);
  epfd = -1;
}

/**
 * References the handle while some waiter keeps the event loop alive, else lets the loop exit.
 * The set itself stays until the thread ends (one O_CLOEXEC fd, like libuv's own): a loop that
 * spawns one child after another would otherwise pay epoll_create1, libuv's poll setup and two
 * closes per child.
 */
function syncRef(): void {
  const wanted = referencedWaiters > 0;
  if (!handle || wanted === handleReferenced) return;
  handleReferenced = wanted;
  if (wanted) handle.ref();
  else handle.unref();
}
/** Whether the handle is referenced (undefined: not known yet). */
let handleReferenced: boolean | undefined;

/**
 * After readiness has settled its waiters: the handle is unreferenced, if no referenced waiter
 * is left, by a promise job queued after theirs (the event loop checks whether it has anything
 * left to do only once the jobs have run). A loop that awaits one child and spawns the next from
 * its continuation keeps the handle referenced throughout, with no unref and ref (a koffi call
 * each) per child.
 */
function syncRefAfterJobs(): void {
  if (referencedWaiters > 0 || !handleReferenced || syncQueued) return;
  syncQueued = true;
  void resolved.then(syncQueuedRef);
}
let syncQueued = false;
const resolved = Promise.resolve();

function syncQueuedRef(): void {
  syncQueued = false;
  syncRef();
}

/** Marks `waiters` as waiting no more (each once), counting them out of the referenced ones. */
function forget(waiters: Set<Waiter> | readonly Waiter[]): void {
  waiters.forEach(forgetOne);
}

function forgetOne(waiter: Waiter): void {
  if (waiter.done) return;
  waiter.done = true;
  if (waiter.referenced) referencedWaiters--;
}

/**
 * Takes `kind` (or both kinds) off `fd`, whose entry is armed: the set is told what is still
 * wanted (the last waiter gone, the fd leaves the set).
 */
function removeKinds(fd: number, entry: Entry, kinds: readonly Readiness[]): void {
  const before = interest(entry);
  for (const kind of kinds) entry[kind] = undefined;
  if (!entry.exit && !entry.reap) {
    registry.set(fd, undefined);
    epollControl(EPOLL_CTL_DEL, fd, 0);
  } else if (interest(entry) !== before) {
    epollControl(EPOLL_CTL_MOD, fd, interest(entry));
  }
}

/**
 * Takes the kinds that fired off `fd`, which the kernel has just disarmed (EPOLLONESHOT): re-armed
 * if some waiter is left, else it stays in the set disarmed until a new wait or its close. A
 * re-arm that fails (EPOLL_CTL_MOD: ENOMEM) rejects the waiters left, which nothing would wake.
 */
function removeFired(fd: number, entry: Entry, exit: boolean, reap: boolean): void {
  if (exit) entry.exit = undefined;
  if (reap) entry.reap = undefined;
  if (entry.exit || entry.reap) {
    const rc = epollControl(EPOLL_CTL_MOD, fd, interest(entry));
    if (rc < 0) {
      const error = new PidFdError({ errno: -rc, syscall: "epoll_ctl", detail: `re-arming pidfd ${fd} in the epoll set` });
      closeWatches(fd, () => error);
    }
  } else {
    registry.set(fd, undefined);
    disarmed.set(fd, true);
  }
}

/**
 * koffi's relay of the uv_poll callback: onReady at once, then an immediate that does nothing.
 * The relay calls into JavaScript outside any callback scope of Node's. Node 20 to 24 run the
 * microtasks and the process.nextTick queue right after it anyway, so what onReady settled runs
 * on at once; Node 26.4+ does not (nodejs/node#62969, #66158), nor need an embedder, and then the
 * immediate's callback scope, in the check phase of the same loop iteration, runs them. One
 * immediate at a time, whatever the number of wakeups before it runs.
 */
function onPollReady(status: number): void {
  onReady(status);
  if (!immediatePending) {
    immediatePending = true;
    scheduleImmediate(afterPollReady);
  }
}
let immediatePending = false;
/**
 * Node's setImmediate as it was when this module loaded: fake timers installed later (jest,
 * sinon, node:test's mock.timers) replace the global, and their immediates never run by
 * themselves, which on Node 26.4+ would leave every settled wait's continuation queued.
 */
const scheduleImmediate = setImmediate;

function afterPollReady(): void {
  immediatePending = false;
}

/** The libuv callback of the epoll fd: drains every ready pidfd. koffi swallows what it throws, so nothing may escape. */
function onReady(status: number): void {
  try {
    if (status !== 0) {
      const error = new PidFdError({ errno: -status, syscall: "uv_poll", detail: "the pidfd epoll set" });
      for (const fd of registeredFds()) closeWatches(fd, () => error);
      return;
    }
    for (;;) {
      const count = drainReady();
      for (let i = 0; i < count; i++) {
        const fd = readyFds[i]!;
        const events = readyEvents[i]!;
        const entry = registry.get(fd);
        if (!entry) {
          // In the set but waited on by nobody (a failed EPOLL_CTL_DEL): disarmed now, like one
          // whose waiters have fired.
          disarmed.set(fd, true);
          continue;
        }
        const hangup = (events & (EPOLLHUP | EPOLLERR)) !== 0;
        const exit = entry.exit !== undefined && (hangup || (events & EPOLLIN) !== 0);
        const reap = entry.reap !== undefined && hangup;
        const exitWaiters = exit ? entry.exit! : undefined;
        const reapWaiters = reap ? entry.reap! : undefined;
        removeFired(fd, entry, exit, reap);
        if (exitWaiters) settle(exitWaiters);
        if (reapWaiters) settle(reapWaiters);
      }
      if (count < DRAIN_BATCH) break;
    }
  } catch {
    // Nothing can be thrown here: resolve/reject, a listener and epoll_ctl do not throw.
  }
  syncRefAfterJobs();
}

/** Resolves the waiters of a kind that fired, each once. */
function settle(waiters: Set<Waiter>): void {
  forget(waiters);
  waiters.forEach(resolveOne);
}

// A listener must not throw (Lifecycle's do not); if one did, the other waiters still run.
function resolveOne(waiter: Waiter): void {
  try {
    waiter.resolve();
  } catch {
    // see above
  }
}

function rejectOne(waiter: Waiter, reason: unknown): void {
  try {
    waiter.reject(reason);
  } catch {
    // see above
  }
}

/**
 * Puts `fd` into the set, or re-arms it there, for `events`: EPOLL_CTL_MOD for an fd known to be
 * in the set disarmed, else EPOLL_CTL_ADD (each retried as the other when the kernel knows
 * better: a disarmed fd closed and its number reused, one whose report nobody took).
 */
function arm(fd: number, events: number): number {
  const known = disarmed.get(fd) === true;
  if (known) disarmed.set(fd, undefined);
  const rc = epollControl(known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, events);
  if (rc === (known ? -ENOENT : -EEXIST)) return epollControl(known ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, events);
  return rc;
}

/**
 * Waits until `fd` (a pidfd) is ready in the sense of `kind`. Every waiter of every pidfd of the
 * thread shares its epoll set; a pidfd is in it while someone waits on it, and a `referenced`
 * waiter keeps the event loop alive.
 * @throws {PidFdError} synchronously, when the set cannot be made (epoll_create1) or take the fd
 *   (epoll_ctl): nothing is left waiting.
 */
export function watch(fd: number, kind: Readiness, referenced = true): Wait {
  const entry = armedEntry(fd, kind);
  return enlist(entry, kind, new Waiting(fd, entry, kind, referenced));
}

/**
 * watch(), reported to `listener` rather than by a promise: its readiness is handled within the
 * event loop's callback, with no promise job between the exit and what the listener does.
 * @throws {PidFdError} as watch() does.
 */
export function watchFor(fd: number, kind: Readiness, referenced: boolean, listener: ReadinessListener): Watch {
  const entry = armedEntry(fd, kind);
  return enlist(entry, kind, new Listening(fd, entry, kind, referenced, listener));
}

/** The entry of `fd`, armed in the epoll set for `kind` (the set made on first use). */
function armedEntry(fd: number, kind: Readiness): Entry {
  let entry = registry.get(fd);
  try {
    epollSet();
    const events = (kind === "exit" || entry?.exit ? EPOLLIN : 0) | EPOLLONESHOT;
    const rc = !entry ? arm(fd, events) : kind === "exit" && !entry.exit ? epollControl(EPOLL_CTL_MOD, fd, events) : 0;
    if (rc < 0) throw new PidFdError({ errno: -rc, syscall: "epoll_ctl", detail: `pidfd ${fd}` });
    if (!entry) registry.set(fd, (entry = { exit: undefined, reap: undefined }));
  } catch (error) {
    syncRef();
    throw error;
  }
  return entry;
}

/** Adds `waiter` to the `kind` waiters of `entry`. */
function enlist<W extends Waiter>(entry: Entry, kind: Readiness, waiter: W): W {
  (entry[kind] ??= new Set()).add(waiter);
  if (waiter.referenced) referencedWaiters++;
  syncRef();
  return waiter;
}

/** One wait on one pidfd: the waiter its entry holds, and the Watch its caller holds. */
abstract class Watching implements Watch, Waiter {
  referenced: boolean;
  done = false;
  readonly #fd: number;
  readonly #entry: Entry;
  readonly #kind: Readiness;

  constructor(fd: number, entry: Entry, kind: Readiness, referenced: boolean) {
    this.#fd = fd;
    this.#entry = entry;
    this.#kind = kind;
    this.referenced = referenced;
  }

  abstract resolve(): void;
  abstract reject(reason: unknown): void;

  cancel(reason: unknown): void {
    const waiters = this.#entry[this.#kind];
    if (this.done || !waiters?.delete(this)) return;
    if (waiters.size === 0) removeKinds(this.#fd, this.#entry, [this.#kind]);
    forget([this]);
    syncRef();
    this.reject(reason);
  }

  setReferenced(value: boolean): void {
    if (this.done || this.referenced === value) return;
    this.referenced = value;
    referencedWaiters += value ? 1 : -1;
    syncRef();
  }
}

/** A wait reported by its promise. */
class Waiting extends Watching implements Wait {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (reason: unknown) => void;

  constructor(fd: number, entry: Entry, kind: Readiness, referenced: boolean) {
    super(fd, entry, kind, referenced);
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  resolve(): void {
    this.#resolve();
  }

  reject(reason: unknown): void {
    this.#reject(reason);
  }
}

/** A wait reported to a listener. */
class Listening extends Watching {
  readonly #listener: ReadinessListener;

  constructor(fd: number, entry: Entry, kind: Readiness, referenced: boolean, listener: ReadinessListener) {
    super(fd, entry, kind, referenced);
    this.#listener = listener;
  }

  resolve(): void {
    this.#listener.fdReady();
  }

  reject(reason: unknown): void {
    this.#listener.watchFailed(reason);
  }
}

/**
 * Rejects every waiter of `fd` with `reason()` (built only when someone waits: an Error's stack
 * trace costs microseconds) and takes it out of the epoll set: call it before closing the fd, so
 * that the set never holds a closed (or reused) fd number.
 */
export function closeWatches(fd: number, reason: () => unknown): void {
  if (disarmed.get(fd)) disarmed.set(fd, undefined);
  const entry = registry.get(fd);
  if (!entry) return;
  const waiters = [...(entry.exit ?? []), ...(entry.reap ?? [])];
  removeKinds(fd, entry, ["exit", "reap"]);
  forget(waiters);
  syncRef();
  const error = reason();
  for (const waiter of waiters) rejectOne(waiter, error);
}

/** How many pidfds are in the epoll set, each once whatever its waiters wait for (for tests: it must drop back to 0). */
export function watchedFds(): number {
  return registeredFds().length;
}

/**
 * Ends waits early: when `signal` aborts (Node's AbortError) or after `timeout` ms (PidFdError
 * ETIMEDOUT). One limit covers the successive waits of one operation.
 */
export class WaitLimit implements Disposable {
  #error: unknown;
  #current: Wait | undefined;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => this.#end(abortError(this.#signal!));

  constructor(method: string, signal: AbortSignal | undefined, timeout: number | undefined) {
    this.#signal = signal;
    if (signal?.aborted) this.#error = abortError(signal);
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (timeout !== undefined) {
      this.#timer = setTimeout(() => this.#end(new PidFdError({
        errno: ETIMEDOUT, method, detail: `the process did not exit within ${timeout} ms`,
      })), timeout);
    }
  }

  /** Throws if the limit has been hit. */
  check(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** Waits for `wait`, or rejects with the limit's error as soon as the limit is hit. */
  async for(wait: Wait): Promise<void> {
    if (this.#error !== undefined) wait.cancel(this.#error);
    this.#current = wait;
    try {
      await wait.promise;
    } finally {
      this.#current = undefined;
    }
  }

  #end(error: unknown): void {
    this.#error ??= error;
    this.#current?.cancel(this.#error);
  }

  [Symbol.dispose](): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}

/** Waits for `wait` at most `ms` milliseconds: true when it was ready, false when time ran out. */
export async function readyWithin(wait: Wait, ms: number, limit: WaitLimit): Promise<boolean> {
  const expired = Symbol("expired");
  const timer = setTimeout(() => wait.cancel(expired), ms);
  try {
    await limit.for(wait);
    return true;
  } catch (error) {
    if (error === expired) return false;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
