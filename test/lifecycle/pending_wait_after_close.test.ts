// A waitAsync() pending when spawn()'s supervision reaps the child gets the status, even when the
// program closes the Subprocess as soon as `exited` resolves, before that wait has resumed
// (docs/api.md: "waits pending at the reap and every later wait get the status").
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

  it("a waitAsync() started after close() is still EBADF", async () => {
    const child = spawn("true", [], { stdio: "ignore" });
    await child.exited;
    child.close();
    await assert.rejects(child.pidfd.waitAsync(), { code: "EBADF" });
  });
});
