// One exit status per PidFd: once any wait has obtained it, every later or pending wait returns
// that same status (wait, tryWait, waitAsync, terminate, a Subprocess's `exited`), never ECHILD
// or EBADF.
import assert from "node:assert/strict";
import { PidFd, spawn } from "../../host/index.js";

describe("the remembered exit status", () => {
  it("500 spawns, each waited on at once with pidfd.wait(): the status every time, never ECHILD", async () => {
    for (let i = 0; i < 500; i++) {
      const child = spawn("sh", ["-c", `exit ${i % 256}`], { stdio: "ignore" });
      const status = child.pidfd.wait();
      assert.equal(status.code, i % 256, `spawn ${i}`);
      assert.equal(await child.exited, status, `spawn ${i}: exited agrees`);
    }
  });

  it("after the exit, wait, tryWait, waitAsync, terminate and exited all give the same status", async () => {
    const child = spawn("sh", ["-c", "exit 3"], { stdio: "ignore" });
    const status = await child.exited;
    const answers = [child.pidfd.wait(), child.pidfd.tryWait(), await child.pidfd.waitAsync(), await child.pidfd.terminate()];
    for (const answer of answers) {
      assert.equal(answer, status);
      assert.equal(answer?.raw, 3 << 8);
    }
  });

  it("three concurrent waitAsync and exited agree, whichever reaps", async () => {
    const child = spawn("sh", ["-c", "read _; exit 9"], { stdio: ["pipe", "ignore", "ignore"] });
    const waits = [child.pidfd.waitAsync(), child.pidfd.waitAsync(), child.pidfd.waitAsync(), child.exited];
    child.stdin!.end("go\n");
    const statuses = await Promise.all(waits);
    for (const status of statuses) assert.equal(status, statuses[3]);
    assert.equal(statuses[3]!.code, 9);
  });

  it("a blocking wait() while exited is pending: both get the status", async () => {
    const child = spawn("sh", ["-c", "read _; exit 4"], { stdio: ["pipe", "ignore", "ignore"] });
    child.stdin!.end("go\n");
    const status = child.pidfd.wait();
    assert.equal(status.code, 4);
    assert.equal(await child.exited, status);
    assert.equal(await child.pidfd.waitAsync(), status);
  });

  it("a second PidFd on the same child reaps first: the Subprocess still gets the status", async () => {
    const child = spawn("sh", ["-c", "read _; exit 6"], { stdio: ["pipe", "ignore", "ignore"] });
    using mine = PidFd.open(child.pid);
    mine.reaping = "reap";
    child.stdin!.end("go\n");
    const status = mine.wait();
    assert.equal(status.code, 6);
    assert.equal((await child.exited).raw, status.raw, "through PIDFD_INFO_EXIT (Linux 6.15)");
    assert.equal(mine.wait(), status);
  });

  it("observe, then reap: a reaping wait after an observing one still reaps, and returns the same status", async () => {
    const child = spawn("sh", ["-c", "read _; exit 8"], { stdio: ["pipe", "ignore", "ignore"] });
    using mine = PidFd.open(child.pid);
    child.stdin!.end("go\n");
    const seen = mine.wait(); // observe: WNOWAIT
    assert.equal(seen.code, 8);
    assert.equal(mine.isAlive(), true, "a zombie still receives signals");
    mine.reaping = "reap";
    assert.equal(mine.wait(), seen);
    assert.equal(mine.isAlive(), false, "the reaping wait reaped it");
    assert.equal((await child.exited).raw, seen.raw, "the Subprocess got it through PIDFD_INFO_EXIT");
  });
});
