// What watch_thread.ts and its helper thread (watch_helper.ts) share: no imports, so that the
// helper loads nothing else.

/** What the helper is handed (watch_helper.ts). */
export interface HelperData {
  /** The helper's epoll set: the pidfds' set and the eventfd. */
  outer: number;
  wake: number;
  /** Int32 word 0: a HelperState, changed by both threads with Atomics. */
  state: Int32Array;
  /** epoll_wait's timeout in the helper: -1 on the main thread; in a worker, 1000 ms (watch_thread.ts). */
  timeout: number;
}

/** The helper's life, in its shared state word. */
export const HelperState = {
  /** Not yet running its loop. */
  starting: 0,
  running: 1,
  /** close() has asked it to stop (and written the eventfd to wake it). */
  stopping: 2,
  /** Out of epoll_wait for good: close() closes the fds. */
  stopped: 3,
  /** close() did not see it stop in time: it closes the fds itself once it does. */
  handedOver: 4,
} as const;

