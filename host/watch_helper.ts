// The watcher's helper thread (watch_thread.ts): blocks in epoll_wait on its epoll set and posts
// 0 (or -errno) to the thread that started it whenever that set wakes it, until asked to stop.
// It imports the process syscalls only: no core, no API.
import { parentPort, workerData } from "node:worker_threads";
import { EINTR } from "./errno.js";
import { koffiProcessSyscalls } from "./sys/process.js";
import { HelperState, type HelperData } from "./watch_protocol.js";

const { outer, wake, state, timeout } = workerData as HelperData;
const sys = koffiProcessSyscalls();
// Room for both of the set's struct epoll_event (12 or 16 bytes each); the helper reads none.
const events = new Uint8Array(32);
Atomics.compareExchange(state, 0, HelperState.starting, HelperState.running);
Atomics.notify(state, 0);
while (Atomics.load(state, 0) === HelperState.running) {
  const rc = sys.epollWait(outer, events, 2, timeout);
  if (Atomics.load(state, 0) !== HelperState.running) break;
  if (rc > 0) parentPort!.postMessage(0);
  else if (rc < 0 && rc !== -EINTR) {
    parentPort!.postMessage(rc);
    Atomics.wait(state, 0, HelperState.running); // until close()
  }
}
// Out of epoll_wait for good: the watcher may close the fds now, or has left them to us.
if (Atomics.compareExchange(state, 0, HelperState.stopping, HelperState.stopped) === HelperState.stopping) Atomics.notify(state, 0);
else if (Atomics.load(state, 0) === HelperState.handedOver) {
  sys.close(wake);
  sys.close(outer);
}
