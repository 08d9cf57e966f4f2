// PidFd.waitAsync(), fromChild() and terminate(): our own children, child_process children,
// non-children (PIDFD_INFO_EXIT), an orphan zombie, cancellation, and the shared poll handle.
import assert from "node:assert/strict";
import { spawn as cpSpawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { ExitStatus, PidFd, REAP_GRACE_MS, spawn } from "../../host/index.js";
import { watchedFds } from "../../host/watch.js";
import { cleanup, exitOf, spawnShell } from "../util.js";
import { childrenOf, expectNoPollHandles, procState, sleeper } from "./helpers.js";


/** The pid a shell script printed on its first line. */
async function firstLinePid(stdout: NodeJS.ReadableStream): Promise<number> {
  const [chunk] = await once(stdout, "data");
  return Number(String(chunk).split("\n")[0]);
}

/** The O_NONBLOCK bit of an fd of ours, from /proc/self/fdinfo (flags are octal). */
function nonblocking(fd: number): boolean {
  const flags = /flags:\s+([0-7]+)/.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"))![1]!;
  return (parseInt(flags, 8) & fs.constants.O_NONBLOCK) !== 0;
}


describe("PidFd.waitAsync() on our own children", () => {
  expectNoPollHandles();

  it("waiters pending at the reap all get the status; a later wait gets it too", async () => {
    const child = spawn("sh", ["-c", "read _; exit 42"], { stdio: ["pipe", "ignore", "ignore"] });
    const mine = PidFd.open(child.pid);
    mine.reaping = "reap"; // race the Subprocess for the reap: waiters of whichever wins
    try {
      const waits = Promise.all([mine.waitAsync(), mine.waitAsync(), child.exited]);
      child.stdin!.end("go\n");
      const [a, b, fromExited] = await waits;
      assert.equal(a?.code, 42);
      assert.equal(b, a, "the same status object for waiters of one PidFd");
      assert.equal(fromExited.code, 42, "the Subprocess's own pidfd still gets it (PIDFD_INFO_EXIT)");
      assert.equal(await mine.waitAsync(), a);
    } finally {
      mine.close();
    }
  });

  it("shares one poll handle among every waiter of a pidfd", async () => {
    const { child, pidfd } = sleeper();
    try {
      const waits = Array.from({ length: 10 }, () => pidfd.waitAsync());
      assert.equal(watchedFds(), 2, "one for the Subprocess's pidfd, one for ours");
      pidfd.kill();
      const statuses = await Promise.all(waits);
      assert.ok(statuses.every((s) => s?.signal === "SIGKILL"));
      await child.exited;
    } finally {
      pidfd.close();
    }
  });

  it("an AbortSignal rejects with AbortError, and leaves the pidfd blocking and usable", async () => {
    const { child, pidfd } = sleeper();
    try {
      assert.equal(nonblocking(pidfd.fd), false);
      const controller = new AbortController();
      const waiting = pidfd.waitAsync({ signal: controller.signal });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(watchedFds(), 2, "both pidfds wait in the shared epoll set");
      assert.equal(nonblocking(pidfd.fd), false, "waiting never sets O_NONBLOCK on the pidfd");
      controller.abort(new Error("stop"));
      await assert.rejects(waiting, (error: Error & { code?: string; cause?: unknown }) =>
        error.name === "AbortError" && error.code === "ABORT_ERR" && (error.cause as Error).message === "stop");
      assert.equal(nonblocking(pidfd.fd), false, "still blocking");
      assert.equal(pidfd.isAlive(), true);
      pidfd.kill();
      assert.equal(pidfd.wait().signal, "SIGKILL", "a blocking wait works again");
      await assert.rejects(pidfd.waitAsync({ signal: AbortSignal.abort() }), { name: "AbortError" });
      await child.exited.catch(() => undefined);
    } finally {
      pidfd.close();
    }
  });

  it("a timeout rejects with ETIMEDOUT and leaves the pidfd usable", async () => {
    const { child, pidfd } = sleeper();
    try {
      await assert.rejects(pidfd.waitAsync({ timeout: 30 }), { name: "PidFdError", code: "ETIMEDOUT" });
      child.kill("SIGKILL");
      assert.equal((await pidfd.waitAsync({ timeout: 10_000 }))?.signal, "SIGKILL");
      await child.exited; // the Subprocess's own watch ends at its reap, which may come a drain later
    } finally {
      pidfd.close();
    }
  });

  it("closing the PidFd rejects its waiters with EBADF and closes the poll handle first", async () => {
    const { child, pidfd } = sleeper();
    const waits = [pidfd.waitAsync(), pidfd.waitAsync()];
    pidfd.close();
    for (const wait of waits) await assert.rejects(wait, { code: "EBADF" });
    await assert.rejects(pidfd.waitAsync(), { code: "EBADF" });
    child.kill("SIGKILL");
    assert.equal((await child.exited).signal, "SIGKILL");
  });

  it("bad options: TypeError / RangeError", async () => {
    const { child, pidfd } = sleeper();
    try {
      await assert.rejects(pidfd.waitAsync({ timeout: -1 }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
      await assert.rejects(pidfd.waitAsync({ signal: "x" as unknown as AbortSignal }), { code: "ERR_INVALID_ARG_TYPE" });
      await assert.rejects(pidfd.waitAsync(null as unknown as object), { code: "ERR_INVALID_ARG_TYPE" });
      await assert.rejects(pidfd.terminate({ escalate: "SIGNOPE" as NodeJS.Signals }), { code: "ERR_UNKNOWN_SIGNAL" });
    } finally {
      child.kill("SIGKILL");
      await child.exited;
      pidfd.close();
    }
  });
});

describe("PidFd.fromChild() (child_process children)", () => {
  expectNoPollHandles();

  it("waitAsync gives the status without reaping: Node's 'exit' event still fires", async () => {
    const child = cpSpawn("sh", ["-c", "read _; exit 5"], { stdio: ["pipe", "ignore", "ignore"] });
    const pidfd = PidFd.fromChild(child);
    try {
      assert.equal(pidfd.reaping, "observe");
      const exit = exitOf(child);
      const waiting = pidfd.waitAsync();
      child.stdin!.end("go\n");
      const status = await waiting;
      assert.equal(status?.code, 5);
      assert.deepEqual(await exit, [5, null]);
    } finally {
      pidfd.close();
    }
  });

  it("after Node has reaped the child, PIDFD_INFO_EXIT still gives the status", async () => {
    const child = cpSpawn("sh", ["-c", "kill -TERM $$"], { stdio: "ignore" });
    const pidfd = PidFd.fromChild(child);
    try {
      assert.deepEqual(await exitOf(child), [null, "SIGTERM"]);
      const status = await pidfd.waitAsync();
      assert.ok(status === null || status.signal === "SIGTERM", `got ${status}`);
      if (pidfd.getInfo().exit) assert.equal(status?.signal, "SIGTERM", "Linux 6.15+: the status is known");
    } finally {
      pidfd.close();
    }
  });

  it("refuses a child that has been reaped or did not start, and a non-ChildProcess", async () => {
    const done = cpSpawn("true", [], { stdio: "ignore" });
    await exitOf(done);
    assert.throws(() => PidFd.fromChild(done), { code: "ESRCH" });
    const failed = cpSpawn("pidfd-no-such-program", [], { stdio: "ignore" });
    const error = once(failed, "error");
    assert.throws(() => PidFd.fromChild(failed), { code: "ESRCH" });
    await error;
    assert.throws(() => PidFd.fromChild({ pid: 1 } as never), { code: "ERR_INVALID_ARG_TYPE" });
  });
});

describe("PidFd.waitAsync() on processes that are not our children", () => {
  expectNoPollHandles();

  it("a grandchild that its own parent reaps: the status via PIDFD_INFO_EXIT", async function () {
    // The grandchild exits once we write a line (fd 3: an asynchronous list's stdin is /dev/null).
    const shell = await spawnShell("exec 3<&0; (read _ <&3; exit 9) & echo $!; wait");
    try {
      const pid = await firstLinePid(shell.stdout!);
      const pidfd = PidFd.open(pid);
      try {
        const waiting = pidfd.waitAsync();
        shell.stdin!.end("go\n");
        const status = await waiting;
        const info = pidfd.getInfo();
        if (info.exit === null) {
          assert.equal(status, null, "before Linux 6.15 the status cannot be known");
          this.skip();
        }
        assert.ok(status instanceof ExitStatus);
        assert.equal(status.code, 9);
      } finally {
        pidfd.close();
      }
      assert.deepEqual(await exitOf(shell), [0, null]);
    } finally {
      await cleanup(shell);
    }
  });

  it(`a zombie whose parent never reaps it: null after the reap grace (default ${REAP_GRACE_MS} ms), never a hang`, async () => {
    // In a new pid namespace, sh forks a subshell that exits once we write a line, then execs
    // sleep, which never reaps it: a zombie for as long as sleep lives. Killing sleep, the
    // namespace's init, at the end reaps everything in it: no orphan is left to this machine's PID 1.
    const script = "exec 3<&0; (read _ <&3; exit 4) & echo forked; exec sleep infinity";
    // stderr is kept for the failure message: unshare also complains there when its child is killed.
    const ns = cpSpawn("unshare", ["--pid", "--fork", "sh", "-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    ns.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let init: PidFd | undefined;
    try {
      const first = await Promise.race([once(ns.stdout!, "data"), once(ns, "exit")]);
      assert.equal(String(first[0]), "forked\n", `unshare --pid --fork (needs root, CAP_SYS_ADMIN) failed: ${stderr}`);
      const [initPid] = childrenOf(ns.pid!);
      init = PidFd.open(initPid!);
      // Until sh has become sleep, sh itself could reap the subshell.
      while (fs.readFileSync(`/proc/${initPid}/comm`, "latin1") !== "sleep\n") await new Promise((resolve) => setImmediate(resolve));
      const [zombiePid] = childrenOf(initPid!);
      using zombie = PidFd.open(zombiePid!);
      const waiting = zombie.waitAsync();
      ns.stdin!.end("go\n");
      assert.equal(await waiting, null, "a zombie has no status to give");
      assert.equal(procState(zombiePid!), "Z");
      assert.equal(await zombie.waitAsync({ reapGrace: 10 }), null, "and again, quickly");
    } finally {
      if (init) {
        init.kill(); // the namespace dies with its init; unshare reaps it, then exits
        init.close();
        await exitOf(ns);
      } else {
        await cleanup(ns);
      }
    }
  });
});
