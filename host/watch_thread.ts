// Readiness of this thread's epoll set without libuv's uv_poll, for runtimes whose libuv emulation
// lacks it (Bun) or mishandles it (Deno): a helper thread (a Worker running watch_helper.ts) blocks
// in epoll_wait on a second epoll set that holds the pidfds' set (EPOLLIN | EPOLLONESHOT) and an
// eventfd, and posts a message to this thread's event loop when the pidfds' set is readable. The
// callback drains the set; the pidfds' set is then re-armed (EPOLL_CTL_MOD), so the helper posts
// once per wakeup, never in a loop. ref()/unref() are the Worker's: an unreferenced wait keeps no
// event loop alive. close() sets the stop word and writes the eventfd: the helper wakes, says so,
// and ends, and close() closes both fds. No timer and no polling on the main thread: the helper
// sleeps until the kernel wakes it.
import { fileURLToPath } from "node:url";
import { Worker, isMainThread } from "node:worker_threads";
import { EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLLIN, EPOLLONESHOT } from "./constants.js";
import { EIO } from "./errno.js";
import { PidFdError } from "./errors.js";
import { kernelCore } from "./runtime.js";
import type { PollHandle } from "./sys/syscalls.js";
import { holdFd, letGo } from "./threads.js";
import { HelperState, type HelperData } from "./watch_protocol.js";

/** How long the first wait of a thread waits for its helper to run, and close() for it to stop. */
const HELPER_HANDSHAKE_MS = 2000;

/**
 * In a worker thread, a helper blocked in epoll_wait for good would hang terminate(): Node joins
 * a worker's own workers when it tears the worker down, and a terminated worker runs no JavaScript
 * that could wake its helper. There the helper looks up from epoll_wait once a second, only to let
 * a teardown through (readiness still wakes it at once).
 */
const WORKER_HELPER_TIMEOUT_MS = 1000;

/**
 * Watches `epfd` (the thread's set of pidfds) for readability through a helper thread.
 * `callback(0)` runs on this thread's event loop after each wakeup (a negative errno if the
 * helper's epoll_wait failed), and the set is re-armed once it returns.
 * @throws {PidFdError} when the helper's epoll set or eventfd cannot be made.
 */
export function helperThreadReadable(epfd: number, callback: (status: number) => void): PollHandle {
  const core = kernelCore();
  const sys = core.process;
  const cloexec = core.exports.o_cloexec() >>> 0;
  const event = (events: number, data: number): Uint8Array => core.scratch(core.exports.encode_epoll_event(events, data) >>> 0);
  const outer = sys.epollCreate(cloexec);
  if (outer < 0) throw new PidFdError({ errno: -outer, syscall: "epoll_create1", detail: "the watcher's helper thread" });
  const wake = sys.eventfd(0, cloexec);
  if (wake < 0) {
    sys.close(outer);
    throw new PidFdError({ errno: -wake, syscall: "eventfd", detail: "the watcher's helper thread" });
  }
  let rc = sys.epollCtl(outer, EPOLL_CTL_ADD, epfd, event(EPOLLIN | EPOLLONESHOT, epfd));
  if (rc >= 0) rc = sys.epollCtl(outer, EPOLL_CTL_ADD, wake, event(EPOLLIN, wake));
  if (rc < 0) {
    sys.close(wake);
    sys.close(outer);
    throw new PidFdError({ errno: -rc, syscall: "epoll_ctl", detail: "the watcher's helper thread" });
  }
  const state = new Int32Array(new SharedArrayBuffer(4));
  const data: HelperData = { outer, wake, state, timeout: isMainThread ? -1 : WORKER_HELPER_TIMEOUT_MS };
  let helper: Worker;
  try {
    helper = startHelper(data);
  } catch (error) {
    sys.close(wake);
    sys.close(outer);
    throw error;
  }
  let closed = false;
  helper.on("message", (status: number) => {
    if (closed) return;
    try {
      callback(status);
    } finally {
      if (!closed && status === 0) sys.epollCtl(outer, EPOLL_CTL_MOD, epfd, event(EPOLLIN | EPOLLONESHOT, epfd));
    }
  });
  helper.on("error", (error) => {
    if (!closed) callback(-(error as { errno?: number }).errno! || -EIO);
  });
  // A helper still asleep in epoll_wait would keep the runtime from ending the thread (Node joins
  // a thread's workers): close() wakes it, waits (briefly) for it to leave epoll_wait, and closes
  // its fds, or leaves them to the helper if it has not left yet.
  const close = (): void => {
    if (closed) return;
    closed = true;
    process.off("exit", close);
    letGo(outer);
    letGo(wake);
    Atomics.store(state, 0, HelperState.stopping);
    Atomics.notify(state, 0);
    sys.write(wake, new Uint8Array(new BigUint64Array([1n]).buffer));
    helper.unref();
    Atomics.wait(state, 0, HelperState.stopping, HELPER_HANDSHAKE_MS);
    if (Atomics.compareExchange(state, 0, HelperState.stopping, HelperState.handedOver) === HelperState.stopped) {
      sys.close(wake);
      sys.close(outer);
    }
  };
  holdFd(outer, "epoll", { close });
  holdFd(wake, "epoll", { close });
  process.on("exit", close);
  helper.unref();
  // Running before the first wait relies on it: a thread that ended while its helper still loaded
  // would leave the helper's fds to nobody.
  Atomics.wait(state, 0, HelperState.starting, HELPER_HANDSHAKE_MS);
  return {
    close,
    ref: () => void (closed || helper.ref()),
    unref: () => void helper.unref(),
  };
}

/**
 * The helper Worker. Under Node it is required (require of an ES module, 20.19 and 22.12 on):
 * synchronous loading, so a worker terminated while its helper starts leaves no fd of a module
 * file half-read; Bun and Deno import it.
 */
function startHelper(data: HelperData): Worker {
  const file = fileURLToPath(new URL("./watch_helper.js", import.meta.url));
  const node = !("Bun" in globalThis) && !("Deno" in globalThis);
  return node
    ? new Worker(`require(${JSON.stringify(file)})`, { eval: true, workerData: data, env: {} })
    : new Worker(new URL("./watch_helper.js", import.meta.url), { workerData: data, env: {} });
}
