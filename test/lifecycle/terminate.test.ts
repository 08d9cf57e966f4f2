// PidFd.terminate(): the first signal, the escalation, a bound on the total time, and a
// process that is already gone.
import assert from "node:assert/strict";
import { spawn as cpSpawn } from "node:child_process";
import { once } from "node:events";
import { PidFd, PidFdError, spawn } from "../../host/index.js";
import { exitOf } from "../util.js";
import { expectNoPollHandles, sleeper } from "./helpers.js";



describe("PidFd.terminate()", () => {
  expectNoPollHandles();

  it("escalates to SIGKILL when the child ignores SIGTERM", async () => {
    const child = spawn("sh", ["-c", "trap '' TERM; echo ready; exec sleep infinity"], { stdio: ["ignore", "pipe", "ignore"] });
    await once(child.stdout!, "data");
    const status = await child.pidfd.terminate({ timeout: 100 });
    assert.equal(status?.signal, "SIGKILL");
    assert.equal((await child.exited).signal, "SIGKILL");
    child.stdout!.destroy();
  });

  it("never hangs: a child that outlives both signals rejects with ETIMEDOUT naming them", async () => {
    const child = spawn("sh", ["-c", "trap '' TERM; echo ready; exec sleep infinity"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await once(child.stdout!, "data");
      await assert.rejects(child.pidfd.terminate({ timeout: 100, escalate: "SIGTERM", escalateTimeout: 100 }), (error: PidFdError) =>
        error.code === "ETIMEDOUT" && error.syscall === undefined && /, terminate \(.*SIGTERM \(100 ms\) and SIGTERM \(100 ms\)/.test(error.message));
      assert.equal(child.pidfd.isAlive(), true);
    } finally {
      child.kill("SIGKILL");
      await child.exited;
      child.stdout!.destroy();
    }
  });

  it("stops at SIGTERM when the child obeys, and accepts a process that already exited", async () => {
    const { child, pidfd } = sleeper();
    try {
      assert.equal((await pidfd.terminate({ timeout: 10_000 }))?.signal, "SIGTERM");
      await child.exited;
      const done = cpSpawn("true", [], { stdio: "ignore" });
      const other = PidFd.fromChild(done);
      try {
        await exitOf(done);
        const status = await other.terminate();
        assert.ok(status === null || status.code === 0, "already reaped: the status via PIDFD_INFO_EXIT, or null");
      } finally {
        other.close();
      }
    } finally {
      pidfd.close();
    }
  });

  it("after this PidFd reaped the child: resolves the status it reaped, a process already gone is not an error", async () => {
    // It exits only once we hold our own pidfd: spawn() reaps a child that has already exited.
    const child = spawn("sh", ["-c", "read _; exit 4"], { stdio: ["pipe", "ignore", "ignore"] });
    using pidfd = PidFd.open(child.pid);
    pidfd.reaping = "reap";
    child.stdin!.end("go\n");
    const reaped = pidfd.wait();
    assert.equal(reaped.code, 4);
    assert.equal(await pidfd.terminate({ timeout: 100 }), reaped);
    await child.exited.catch(() => undefined); // the Subprocess lost the reap race to us
  });
});
