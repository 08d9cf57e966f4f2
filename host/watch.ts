// Readiness of pidfds on the event loop, without threads or timers: one libuv poll handle
// (koffi.node.poll) per pidfd and kind of event, shared by every waiter of that fd. Two handles on
// one fd would abort the process, so every handle goes through the registry below, keyed by fd.
import fs from "node:fs";
import os from "node:os";
import { abortError, PidFdError } from "./errors.js";
import { kernel } from "./runtime.js";
import { processSyscalls, type PollHandle } from "./sys/process.js";

/**
 * What to wait for: "exit", the pidfd polls readable (the whole thread group has exited, Linux
 * 5.3); "reap", it hangs up (EPOLLHUP: the process has been reaped, Linux 6.9). uv_poll reports
 * a hangup as "readable", so "reap" polls an epoll fd that holds the pidfd with no events
 * requested: it becomes readable on EPOLLHUP (or EPOLLERR) only.
 */
export type Readiness = "exit" | "reap";

/** One waiter's view of a watch. */
export interface Wait {
  /** Resolves when the fd is ready; rejects with the reason given to cancel() or closeWatches(). */
  readonly promise: Promise<void>;
  /** Stops waiting (rejecting with `reason`); the last waiter to leave closes the poll handle. */
  cancel(reason: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

const F_GETFL = 3;
const F_SETFL = 4;
const NOT_RESTORED = -1;

class Watch {
  readonly waiters = new Set<Waiter>();
  readonly #fd: number;
  readonly #kind: Readiness;
  readonly #handle: PollHandle;
  /** The epoll fd polled for "reap", else -1. */
  readonly #epfd: number;
  /** The pidfd's file status flags before libuv set O_NONBLOCK, or NOT_RESTORED. */
  readonly #flags: number;
  #closed = false;

  constructor(fd: number, kind: Readiness) {
    const sys = processSyscalls();
    this.#fd = fd;
    this.#kind = kind;
    let epfd = -1;
    let flags = NOT_RESTORED;
    if (kind === "reap") {
      epfd = sys.epollCreate(kernel().exports.o_cloexec() >>> 0);
      if (epfd < 0) throw new PidFdError({ errno: -epfd, syscall: "epoll_create1" });
      const rc = sys.epollAddForHangup(epfd, fd);
      if (rc < 0) {
        sys.close(epfd);
        throw new PidFdError({ errno: -rc, syscall: "epoll_ctl", detail: `pidfd ${fd}` });
      }
    } else {
      flags = sys.fcntl(fd, F_GETFL, 0);
      if (flags < 0) throw new PidFdError({ errno: -flags, syscall: "fcntl", detail: `pidfd ${fd}` });
      if (flags & fs.constants.O_NONBLOCK) flags = NOT_RESTORED;
    }
    this.#epfd = epfd;
    this.#flags = flags;
    try {
      this.#handle = sys.pollReadable(epfd >= 0 ? epfd : fd, (status) => this.#fire(status));
    } catch (error) {
      if (epfd >= 0) sys.close(epfd);
      throw error;
    }
  }

  /** The poll callback. koffi swallows what it throws, so nothing may escape. */
  #fire(status: number): void {
    try {
      const waiters = [...this.waiters];
      this.close(false);
      const error = status === 0 ? undefined
        : new PidFdError({ errno: -status, syscall: "uv_poll", detail: `pidfd ${this.#fd}` });
      for (const waiter of waiters) {
        if (error) waiter.reject(error);
        else waiter.resolve();
      }
    } catch {
      // Nothing can be thrown here: resolve/reject and close do not throw.
    }
  }

  /** Removes the watch and closes its handle (before anyone closes the fd). */
  close(restoreFlags: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    const entry = registry.get(this.#fd);
    if (entry?.[this.#kind] === this) {
      delete entry[this.#kind];
      if (!entry.exit && !entry.reap) registry.delete(this.#fd);
    }
    this.waiters.clear();
    this.#handle.close();
    const sys = processSyscalls();
    if (this.#epfd >= 0) sys.close(this.#epfd);
    else if (restoreFlags && this.#flags !== NOT_RESTORED) sys.fcntl(this.#fd, F_SETFL, this.#flags);
  }
}

const registry = new Map<number, { exit?: Watch; reap?: Watch }>();

/**
 * Waits until `fd` (a pidfd) is ready in the sense of `kind`, sharing the poll handle with every
 * other waiter of that fd and kind. The handle keeps the event loop alive while waiters exist.
 */
export function watch(fd: number, kind: Readiness): Wait {
  let entry = registry.get(fd);
  if (!entry) registry.set(fd, (entry = {}));
  let shared: Watch;
  try {
    shared = entry[kind] ??= new Watch(fd, kind);
  } catch (error) {
    if (!entry.exit && !entry.reap) registry.delete(fd);
    return { promise: Promise.reject(error), cancel() {} };
  }
  let waiter!: Waiter;
  const promise = new Promise<void>((resolve, reject) => (waiter = { resolve, reject }));
  shared.waiters.add(waiter);
  return {
    promise,
    cancel(reason) {
      if (!shared.waiters.delete(waiter)) return;
      if (shared.waiters.size === 0) shared.close(true);
      waiter.reject(reason);
    },
  };
}

/**
 * Rejects every waiter of `fd` with `reason` and closes its poll handles: call it before closing
 * the fd, so that libuv never watches a closed (or reused) fd number.
 */
export function closeWatches(fd: number, reason: unknown): void {
  const entry = registry.get(fd);
  for (const shared of [entry?.exit, entry?.reap]) {
    if (!shared) continue;
    const waiters = [...shared.waiters];
    shared.close(false);
    for (const waiter of waiters) waiter.reject(reason);
  }
}

/** How many fds have a live poll handle (for tests: it must drop back to 0). */
export function watchedFds(): number {
  let count = 0;
  for (const entry of registry.values()) count += (entry.exit ? 1 : 0) + (entry.reap ? 1 : 0);
  return count;
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
        errno: os.constants.errno.ETIMEDOUT, syscall: method, detail: `the process did not exit within ${timeout} ms`,
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
