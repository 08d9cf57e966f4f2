// getPid() of our own process reads the pid once (we cannot be reaped while we run, and a pid
// never changes); getPid() of any other process asks the kernel every time, so it answers ESRCH
// once that process has been reaped.
import assert from "node:assert/strict";
import { koffiSyscalls, loadCore } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { traceSyscalls } from "../../host/testing.js";
import { cleanup, spawnShell, UNTIL_KILLED } from "../util.js";

describe("getPid()", () => {
  it("of our own process: one syscall for any number of calls; EBADF after close()", () => {
    const trace = traceSyscalls(koffiSyscalls());
    const pidfd = PidFd.on(loadCore(trace)).self();
    trace.reset();
    assert.equal(pidfd.getPid(), process.pid);
    const first = trace.count();
    for (let i = 0; i < 100; i++) assert.equal(pidfd.getPid(), process.pid);
    assert.equal(trace.count(), first, "no syscall after the first call");
    assert.ok(first >= 1);
    pidfd.close();
    assert.throws(() => pidfd.getPid(), { code: "EBADF" });
  });

  it("of another process: a syscall every call, and ESRCH once it has been reaped", async () => {
    const trace = traceSyscalls(koffiSyscalls());
    const child = await spawnShell(UNTIL_KILLED);
    const pidfd = PidFd.on(loadCore(trace)).open(child.pid!);
    try {
      assert.equal(pidfd.getPid(), child.pid);
      trace.reset();
      assert.equal(pidfd.getPid(), child.pid);
      assert.ok(trace.count() >= 1, "the kernel is asked again");
      await cleanup(child); // killed and reaped by Node
      assert.throws(() => pidfd.getPid(), { code: "ESRCH" });
    } finally {
      pidfd.close();
    }
  });
});
