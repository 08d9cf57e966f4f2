// sendSignal: signals reach the child's trap, scopes, kill(), ESRCH after the reap.
import assert from "node:assert/strict";
import { PidFd, PidFdError } from "../../host/index.js";
import { cleanup, exitOf, firstLine, spawnShell, UNTIL_KILLED } from "../util.js";

describe("sendSignal", () => {
  it("sends SIGTERM by default", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    pidfd.sendSignal();
    assert.deepEqual(await exitOf(child), [null, "SIGTERM"]);
  });

  for (const signal of ["SIGUSR1", "USR1", "usr1", 10] as const) {
    it(`delivers ${JSON.stringify(signal)} (the child's trap sees it)`, async () => {
      const child = await spawnShell("trap 'echo got-usr1; exit 3' USR1; echo ready; read line");
      try {
        assert.equal(await firstLine(child), "ready");
        using pidfd = PidFd.open(child.pid!);
        pidfd.sendSignal(signal as NodeJS.Signals);
        assert.equal(await firstLine(child), "got-usr1");
        assert.deepEqual(await exitOf(child), [3, null]);
      } finally {
        await cleanup(child);
      }
    });
  }

  it("kill() sends SIGKILL; isAlive turns false once the child is reaped", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    assert.equal(pidfd.isAlive(), true);
    pidfd.kill();
    assert.deepEqual(await exitOf(child), [null, "SIGKILL"]);
    assert.equal(pidfd.isAlive(), false);
    assert.throws(() => pidfd.sendSignal("SIGTERM"), (error: PidFdError) =>
      error instanceof PidFdError && error.code === "ESRCH" && error.errno === -3 && error.syscall === "pidfd_send_signal");
  });

  it("scope 'process' and 'thread' reach the process (Linux 6.9 flags)", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    pidfd.sendSignal("SIGCONT", { scope: "thread" });
    pidfd.sendSignal("SIGTERM", { scope: "process" });
    assert.deepEqual(await exitOf(child), [null, "SIGTERM"]);
  });

  it("scope 'process-group' needs a group leader: ESRCH otherwise", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    try {
      using pidfd = PidFd.open(child.pid!);
      assert.throws(() => pidfd.sendSignal("SIGTERM", { scope: "process-group" }), { code: "ESRCH" });
    } finally {
      await cleanup(child);
    }
  });
});
