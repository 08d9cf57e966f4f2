// The epoll set holds each pidfd EPOLLONESHOT (watch.ts): a pidfd whose waiters have fired stays
// in it disarmed until a new wait re-arms it or its close takes it out, even a close that bypasses
// closeWatches() (a PidFd closed on garbage collection); its number, once reused, is watched anew.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { kernelCore } from "../../host/runtime.js";
import { watch, watchedFds } from "../../host/watch.js";

async function sleeper(): Promise<ChildProcess> {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  await once(child, "spawn");
  return child;
}

describe("the epoll set's one-shot entries", () => {
  it("re-arm a pidfd waited on again after its wait fired, and watch a reused fd number anew", async () => {
    const core = kernelCore();
    const first = await sleeper();
    const fd = core.exports.open(first.pid!, 0);
    assert.ok(fd >= 0, `pidfd_open: ${fd}`);
    const exited = watch(fd, "exit").promise;
    first.kill("SIGKILL");
    await exited;
    await watch(fd, "exit").promise; // disarmed by its report, re-armed by this wait: ready at once
    assert.equal(watchedFds(), 0);

    const second = await sleeper();
    // Synchronously, so that nothing else in this process can take or free a number in between:
    // every free number below fd taken first (an fd closed earlier, by Node or a collection, may
    // have left one), so that fd is the lowest free number once closed.
    const plugs: number[] = [];
    do plugs.push(fs.openSync("/dev/null", "r")); while (plugs.at(-1)! < fd);
    core.close(fd); // behind watch.ts's back, as the close on garbage collection is
    const reused = core.exports.open(second.pid!, 0);
    for (const plug of plugs) fs.closeSync(plug);
    try {
      assert.equal(reused, fd, "pidfd_open takes the lowest free number");
      const wait = watch(reused, "exit").promise;
      second.kill("SIGKILL");
      await wait;
    } finally {
      core.close(reused);
    }
    assert.equal(watchedFds(), 0);
  });
});
