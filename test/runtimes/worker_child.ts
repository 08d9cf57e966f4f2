// A worker of portable.ts: spawns a child and posts its status ("exit"), or its pid while the
// wait is still pending ("hang", for terminate()).
import { parentPort, workerData } from "node:worker_threads";
import { spawn } from "../../host/index.js";

if (workerData === "hang") {
  const child = spawn("sleep", ["1000"], { stdio: "ignore" });
  child.exited.catch(() => {});
  parentPort!.postMessage(child.pid);
} else {
  const child = spawn("sh", ["-c", "exit 9"], { stdio: "ignore" });
  parentPort!.postMessage(String(await child.exited));
}
