// Readiness of pidfds on the event loop, without timers: every pidfd a thread waits on sits in
// that thread's epoll set (epoll_ctl, one call per pidfd), and that epoll fd is the only fd watched
// for us: under Node by the thread's libuv loop (one koffi.node.poll handle per thread, so never
// two handles on one fd), under Bun and Deno by a helper thread (watch_thread.ts). A wakeup drains
// every ready pidfd at once. The pidfds themselves are never set O_NONBLOCK. The set and its
// watcher are closed at the thread's end (threads.ts).
import { EBADF, ETIMEDOUT } from "./errno.js";
import { EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD, EPOLLERR, EPOLLHUP, EPOLLIN } from "./constants.js";
import { abortError, invalidArg, PidFdError } from "./errors.js";
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
export interface Wait {
  /** Resolves when the fd is ready; rejects with the reason given to cancel() or closeWatches(). */
  readonly promise: Promise<void>;
  /** Stops waiting (rejecting with `reason`); the last waiter of a pidfd takes it out of the set. */
  cancel(reason: unknown): void;
  /** Whether this wait keeps the event loop alive (default true; Subprocess.unref() clears it). */
  setReferenced(referenced: boolean): void;
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
  exit?: Set<Waiter>;
  reap?: Set<Waiter>;
}

const registry = new Map<number, Entry>();

/** This thread's epoll set and the libuv handle polling it (referenced only while a referenced waiter waits). */
let epfd = -1;
let handle: PollHandle | undefined;
/** How many waiters keep the event loop alive: the handle is referenced while this is above 0. */
let referencedWaiters = 0;
const readyFds = new Int32Array(DRAIN_BATCH);
const readyEvents = new Uint32Array(DRAIN_BATCH);

function interest(entry: Entry): number {
  return entry.exit ? EPOLLIN : 0;
}

/** epoll_ctl with a struct epoll_event {events, data: fd} that the core encodes. */
function epollControl(op: number, fd: number, events: number): number {
  const core = kernelCore();
  const event = op === EPOLL_CTL_DEL ? null : core.scratch(core.exports.encode_epoll_event(events, fd) >>> 0);
  return kernelCore().process.epollCtl(epfd, op, fd, event);
}

/**
 * epoll_wait without blocking: copies up to DRAIN_BATCH ready (fd, events) pairs, which the core
 * decodes from struct epoll_event, into readyFds / readyEvents; returns how many.
 */
function drainReady(): number {
  const core = kernelCore();
  const size = core.exports.epoll_event_size() >>> 0;
  const count = kernelCore().process.epollWait(epfd, core.scratch(DRAIN_BATCH * size), DRAIN_BATCH, 0);
  if (count <= 0 || core.exports.decode_epoll_events(count) < 0) return 0;
  const pairs = new Int32Array(core.exports.memory.buffer, core.exports.scratch_ptr() >>> 0, count * 2);
  for (let i = 0; i < count; i++) {
    readyFds[i] = pairs[2 * i]!;
    readyEvents[i] = pairs[2 * i + 1]! >>> 0;
  }
  return count;
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
  for (const fd of [...registry.keys()]) closeWatches(fd, closed);
  handle!.close();
  handle = undefined;
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
  if (referencedWaiters > 0) handle?.ref();
  else handle?.unref();
}

/** Marks `waiters` as waiting no more (each once), counting them out of the referenced ones. */
function forget(waiters: Iterable<Waiter>): void {
  for (const waiter of waiters) {
    if (waiter.done) continue;
    waiter.done = true;
    if (waiter.referenced) referencedWaiters--;
  }
  syncRef();
}

/** Takes `kind` (or both kinds) off `fd`: the set is told what is still wanted. */
function removeKinds(fd: number, entry: Entry, kinds: readonly Readiness[]): void {
  const before = interest(entry);
  for (const kind of kinds) delete entry[kind];
  if (!entry.exit && !entry.reap) {
    registry.delete(fd);
    epollControl(EPOLL_CTL_DEL, fd, 0);
  } else if (interest(entry) !== before) {
    epollControl(EPOLL_CTL_MOD, fd, interest(entry));
  }
}

/**
 * The uv_poll callback: onReady from the loop's check phase, in the same iteration. koffi calls a
 * registered callback outside any callback scope, so under Node 26 the promises it resolves
 * would settle only when something else runs JavaScript (a hang when nothing does); an immediate
 * runs in a callback scope of Node's own, which drains the microtasks after it.
 */
function onPollReady(status: number): void {
  if (!pollPending) {
    pollPending = true;
    setImmediate(() => {
      pollPending = false;
      if (epfd >= 0) onReady(status);
    });
  }
}
let pollPending = false;

/** The libuv callback of the epoll fd: drains every ready pidfd. koffi swallows what it throws, so nothing may escape. */
function onReady(status: number): void {
  try {
    if (status !== 0) {
      const error = new PidFdError({ errno: -status, syscall: "uv_poll", detail: "the pidfd epoll set" });
      for (const fd of [...registry.keys()]) closeWatches(fd, () => error);
      return;
    }
    for (;;) {
      const count = drainReady();
      for (let i = 0; i < count; i++) {
        const fd = readyFds[i]!;
        const events = readyEvents[i]!;
        const entry = registry.get(fd);
        if (!entry) {
          // In the set but waited on by nobody (a failed EPOLL_CTL_DEL): take it out, or the
          // level-triggered set would wake the loop again and again.
          epollControl(EPOLL_CTL_DEL, fd, 0);
          continue;
        }
        const hangup = (events & (EPOLLHUP | EPOLLERR)) !== 0;
        const fired: Waiter[] = [];
        const kinds: Readiness[] = [];
        if (entry.exit && (hangup || events & EPOLLIN)) {
          fired.push(...entry.exit);
          kinds.push("exit");
        }
        if (entry.reap && hangup) {
          fired.push(...entry.reap);
          kinds.push("reap");
        }
        if (kinds.length) removeKinds(fd, entry, kinds);
        forget(fired);
        for (const waiter of fired) waiter.resolve();
      }
      if (count < DRAIN_BATCH) break;
    }
  } catch {
    // Nothing can be thrown here: resolve/reject and epoll_ctl do not throw.
  }
}

/**
 * Waits until `fd` (a pidfd) is ready in the sense of `kind`. Every waiter of every pidfd of the
 * thread shares its epoll set; a pidfd is in it while someone waits on it, and a `referenced`
 * waiter keeps the event loop alive.
 * @throws {PidFdError} synchronously, when the set cannot be made (epoll_create1) or take the fd
 *   (epoll_ctl): nothing is left waiting.
 */
export function watch(fd: number, kind: Readiness, referenced = true): Wait {
  let entry = registry.get(fd);
  try {
    epollSet();
    const op = !entry ? EPOLL_CTL_ADD : kind === "exit" && !entry.exit ? EPOLL_CTL_MOD : 0;
    if (op !== 0) {
      const rc = epollControl(op, fd, kind === "exit" || entry?.exit ? EPOLLIN : 0);
      if (rc < 0) throw new PidFdError({ errno: -rc, syscall: "epoll_ctl", detail: `pidfd ${fd}` });
    }
    if (!entry) registry.set(fd, (entry = {}));
  } catch (error) {
    syncRef();
    throw error;
  }
  const waiters = (entry[kind] ??= new Set());
  let waiter!: Waiter;
  const promise = new Promise<void>((resolve, reject) => (waiter = { resolve, reject, referenced, done: false }));
  waiters.add(waiter);
  if (referenced) referencedWaiters++;
  syncRef();
  return {
    promise,
    cancel(reason) {
      if (waiter.done || !waiters.delete(waiter)) return;
      if (waiters.size === 0 && entry[kind] === waiters) removeKinds(fd, entry, [kind]);
      forget([waiter]);
      waiter.reject(reason);
    },
    setReferenced(value) {
      if (waiter.done || waiter.referenced === value) return;
      waiter.referenced = value;
      referencedWaiters += value ? 1 : -1;
      syncRef();
    },
  };
}

/**
 * Rejects every waiter of `fd` with `reason()` (built only when someone waits: an Error's stack
 * trace costs microseconds) and takes it out of the epoll set: call it before closing the fd, so
 * that the set never holds a closed (or reused) fd number.
 */
export function closeWatches(fd: number, reason: () => unknown): void {
  const entry = registry.get(fd);
  if (!entry) return;
  const waiters = [...(entry.exit ?? []), ...(entry.reap ?? [])];
  removeKinds(fd, entry, ["exit", "reap"]);
  forget(waiters);
  const error = reason();
  for (const waiter of waiters) waiter.reject(error);
}

/** How many pidfds are in the epoll set, each once whatever its waiters wait for (for tests: it must drop back to 0). */
export function watchedFds(): number {
  return registry.size;
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
