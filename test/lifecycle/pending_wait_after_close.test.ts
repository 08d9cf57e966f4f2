// A waitAsync() pending when spawn()'s supervision reaps the child gets the status, even when the
// program closes the Subprocess as soon as `exited` resolves, before that wait has resumed
// (docs/api.md: "waits pending at the reap and every later wait get the status"); a close() that
// kills and reaps the child itself ends them with EBADF, as any close() does.
import assert from "node:assert/strict";
import { spawn } from "../../host/index.js";

describe("a waitAsync() pending at the reap", () => {
  it("resolves with the status though the Subprocess is closed right after `exited`", async () => {
    // Children exiting in the same turn of the event loop: the supervisions settle one after
    // another, so every `exited` continuation runs before the pending waits resume.
    const results = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      const child = spawn("sh", ["-c", `exit ${i}`], { stdio: "ignore" });
      const pending = child.pidfd.waitAsync();
      const status = await child.exited;
      child.close();
      return { status, pending: await pending };
    }));
    results.forEach(({ status, pending }, i) => {
      assert.equal(status.code, i);
      assert.equal(pending, status, "the same ExitStatus, not EBADF");
    });
  });

  it("close() of a running Subprocess still rejects a pending waitAsync() with EBADF; `exited` gets the SIGKILL", async () => {
    const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
    const pending = child.pidfd.waitAsync();
    child.close();
    await assert.rejects(pending, { code: "EBADF" });
    assert.equal((await child.exited).signal, "SIGKILL");
  });

  it("a waitAsync() started after close() is still EBADF", async () => {
    const child = spawn("true", [], { stdio: "ignore" });
    await child.exited;
    child.close();
    await assert.rejects(child.pidfd.waitAsync(), { code: "EBADF" });
  });
});
