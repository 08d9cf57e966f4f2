// pf.children() of a process of several threads: a child forked by a thread other than the
// main one is listed in that thread's /proc/<pid>/task/<tid>/children only, and is found too.
import assert from "node:assert/strict";
import fs from "node:fs";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { PidFd } from "../../host/index.js";

/** The pids in /proc/self/task/<tid>/children, for each thread of this process. */
function childrenByThread(): Map<string, number[]> {
  const byThread = new Map<string, number[]>();
  for (const tid of fs.readdirSync("/proc/self/task")) {
    const text = fs.readFileSync(`/proc/self/task/${tid}/children`, "utf8").trim();
    byThread.set(tid, text === "" ? [] : text.split(" ").map(Number));
  }
  return byThread;
}

describe("PidFd.children() of a process of several threads", () => {
  it("finds a child that another thread forked, from that thread's children file", async () => {
    const worker = new Worker(
      `const { spawn } = require("node:child_process");
       const { parentPort } = require("node:worker_threads");
       const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
       child.on("spawn", () => parentPort.postMessage(child.pid));
       child.on("exit", (code, signal) => parentPort.postMessage(signal));`,
      { eval: true });
    const [pid] = (await once(worker, "message")) as [number];
    try {
      const byThread = childrenByThread();
      assert.ok(!byThread.get(String(process.pid))!.includes(pid), "the main thread did not fork it");
      assert.ok([...byThread.values()].some((pids) => pids.includes(pid)), "its thread's children file lists it");
      using self = PidFd.self();
      const children = self.children();
      try {
        const found = children.find((child) => child.getPid() === pid);
        assert.ok(found, `pid ${pid} among the children found: ${children.map((child) => child.getPid()).join(" ")}`);
        assert.equal(found.getPpid(), process.pid);
        found.kill();
      } finally {
        for (const child of children) child.close();
      }
      assert.deepEqual(await once(worker, "message"), ["SIGKILL"]);
    } finally {
      await worker.terminate();
    }
  });
});
