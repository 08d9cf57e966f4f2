// wait and tryWait on child_process children: observing without reaping, and a non-child.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { PidFd } from "../../host/index.js";
import { cleanup, exitOf, firstLine, spawnShell, UNTIL_KILLED } from "../util.js";

describe("wait and tryWait", () => {
  it("observe mode (WNOWAIT) reads a child_process child's exit code 7 and leaves the reap to Node", async () => {
    const child = await spawnShell("read line; exit 7");
    const pidfd = PidFd.open(child.pid!);
    pidfd.reaping = "observe";
    assert.equal(pidfd.tryWait(), null, "still running");
    const exit = exitOf(child);
    child.stdin?.end("go\n");
    const status = pidfd.wait(); // blocks until the child exits; Node has not reaped it yet
    assert.equal(status.code, 7);
    assert.equal(status.success, false);
    assert.deepEqual(await exit, [7, null], "Node's 'exit' event still fires");
    assert.equal(pidfd.wait(), status, "after Node's reap, the status this PidFd saw");
    pidfd.close();
  });

  it("observe mode sees SIGKILL", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    pidfd.reaping = "observe";
    pidfd.kill();
    const status = pidfd.wait();
    assert.equal(status.signal, "SIGKILL");
    assert.equal(status.code, null);
    assert.equal(status.coreDumped, false);
    await exitOf(child);
  });

  it("observe mode sees a core dump (RLIMIT_CORE unlimited, core_pattern 'core' in a temp dir)", async function () {
    const pattern = fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8").trim();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-core-"));
    const child = (await import("node:child_process")).spawn("sh", ["-c", "ulimit -c unlimited; read x; kill -SEGV $$"], { cwd: dir, stdio: ["pipe", "ignore", "ignore"] });
    await once(child, "spawn");
    try {
      using pidfd = PidFd.open(child.pid!);
      pidfd.reaping = "observe";
      child.stdin!.end("go\n");
      const status = pidfd.wait();
      assert.equal(status.signal, "SIGSEGV");
      // The kernel dumps when core_pattern is a plain file name it can write in the cwd.
      const expectDump = !pattern.startsWith("|") && fs.readdirSync(dir).some((name) => name.startsWith("core"));
      assert.equal(status.coreDumped, expectDump);
      if (!pattern.startsWith("|") && !pattern.includes("/")) assert.equal(status.coreDumped, true, `core_pattern ${pattern}`);
      await exitOf(child);
    } finally {
      await cleanup(child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("waiting on a process that is not our child gives ECHILD", async () => {
    const child = await spawnShell("sleep infinity & echo $!; wait");
    const grandchild = PidFd.open(Number(await firstLine(child)));
    try {
      assert.throws(() => grandchild.tryWait(), { code: "ECHILD", syscall: "waitid" });
    } finally {
      grandchild.kill(); // the shell reaps it and exits
      grandchild.close();
      await exitOf(child);
    }
  });

  it("a PidFd that saw the exit keeps the status: after Node's reap, even a reaping wait returns it", async () => {
    const child = await spawnShell("read _; exit 5");
    const pidfd = PidFd.open(child.pid!);
    pidfd.reaping = "observe";
    child.stdin!.end("go\n");
    const status = pidfd.wait();
    assert.equal(status.code, 5);
    await exitOf(child);
    pidfd.reaping = "reap";
    assert.equal(pidfd.wait(), status);
    assert.equal(pidfd.isAlive(), false, "its waitid found it reaped");
    pidfd.close();
  });
});
