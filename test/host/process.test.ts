// Signals, remote fds, /proc access and waiting, on children this test spawns.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { PidFd, PidFdError } from "../../host/index.js";
import { cleanup, exitOf, isCloexec, spawnShell, UNTIL_KILLED } from "../util.js";

/** Resolves with the first line `child` prints. */
async function firstLine(child: import("node:child_process").ChildProcess): Promise<string> {
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return chunk.toString().split("\n")[0]!;
}

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

describe("getRemoteFd", () => {
  it("duplicates a child's open file: same inode, O_CLOEXEC", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-getfd-"));
    const file = path.join(dir, "data");
    fs.writeFileSync(file, "hello");
    const child = await spawnShell(`exec 7<'${file}'; echo ready; ${UNTIL_KILLED}`);
    try {
      assert.equal(await firstLine(child), "ready");
      using pidfd = PidFd.open(child.pid!);
      const fd = pidfd.getRemoteFd(7);
      try {
        assert.equal(fs.fstatSync(fd).ino, fs.statSync(file).ino);
        assert.ok(isCloexec(fd));
        assert.equal(fs.readFileSync(file, "utf8"), "hello");
      } finally {
        fs.closeSync(fd);
      }
      assert.throws(() => pidfd.getRemoteFd(99), { code: "EBADF", syscall: "pidfd_getfd" });
    } finally {
      await cleanup(child);
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe("accessProc", () => {
  it("reads /proc/<pid> of a live child and returns what fn returned", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    try {
      using pidfd = PidFd.open(child.pid!);
      const status = pidfd.accessProc((dir) => fs.readFileSync(`${dir}/status`, "utf8"));
      assert.match(status, new RegExp(`^Pid:\\s+${child.pid}$`, "m"));
      const asyncStatus = await pidfd.accessProc((dir) => fs.promises.readFile(`${dir}/stat`, "utf8"));
      assert.ok(asyncStatus.startsWith(`${child.pid} `));
    } finally {
      await cleanup(child);
    }
  });

  it("detects a child reaped while fn ran: ESRCH instead of fn's result", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    const result = pidfd.accessProc(async (dir) => {
      const text = fs.readFileSync(`${dir}/status`, "utf8");
      child.kill("SIGKILL");
      await exitOf(child); // Node reaps it: the pid is free for reuse from here on
      return text;
    });
    await assert.rejects(result, { code: "ESRCH" });
    assert.throws(() => pidfd.accessProc(() => 1), { code: "ESRCH" });
  });
});

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

describe("default reaping", () => {
  it("PidFd.open() of a child_process child observes: waitAsync gets the status and Node's 'exit' still fires", async () => {
    const child = await spawnShell("read line; exit 5");
    using pidfd = PidFd.open(child.pid!);
    assert.equal(pidfd.reaping, "observe");
    const exit = exitOf(child);
    child.stdin!.end("go\n");
    assert.equal((await pidfd.waitAsync())?.code, 5);
    assert.deepEqual(await exit, [5, null]);
  });

  it("PidFd.fromChild() refuses a child that libuv has already reaped", async () => {
    const child = await spawnShell("exit 0");
    await exitOf(child);
    assert.throws(() => PidFd.fromChild(child), { code: "ESRCH" });
  });

  it("a thread id without { thread: true } is ENOENT, and the message says so", async () => {
    const tids = fs.readdirSync("/proc/self/task").map(Number).filter((tid) => tid !== process.pid);
    assert.ok(tids.length > 0, "Node runs more than one thread");
    assert.throws(() => PidFd.open(tids[0]!), (error: PidFdError) => error.code === "ENOENT" && /thread: true/.test(error.message));
    using thread = PidFd.open(tids[0]!, { thread: true });
    assert.equal(thread.getInfo().tgid, process.pid);
  });
});

describe("terminate() after this PidFd reaped the child", () => {
  it("resolves the status it reaped: a process already gone is not an error", async () => {
    const { spawn } = await import("../../host/index.js");
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
