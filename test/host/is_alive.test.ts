// isAlive() on the real kernel: true while the process can be signalled, false for good once reaped.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { cleanup, exitOf, spawnShell, UNTIL_KILLED } from "../util.js";

describe("PidFd.isAlive", () => {
  it("is true for a running child, then false once it is reaped, and stays false", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    try {
      using pidfd = PidFd.open(child.pid!);
      assert.equal(pidfd.isAlive(), true);
      child.kill("SIGKILL");
      await exitOf(child); // Node has reaped it
      assert.equal(pidfd.isAlive(), false);
      assert.equal(pidfd.isAlive(), false);
      assert.throws(() => pidfd.sendSignal(0), { code: "ESRCH" });
    } finally {
      await cleanup(child);
    }
  });

  it("throws EBADF once closed, even after it saw the process die", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    const pidfd = PidFd.open(child.pid!);
    child.kill("SIGKILL");
    await exitOf(child);
    assert.equal(pidfd.isAlive(), false);
    pidfd.close();
    assert.throws(() => pidfd.isAlive(), { code: "EBADF" });
  });
});
