// kill({ reclaim: true }): SIGKILL, then process_mrelease(2) (Linux 5.15) frees the victim's
// memory before kill() returns, as lmkd and systemd-oomd do.
import assert from "node:assert/strict";
import { spawn as spawnNode } from "node:child_process";
import { PidFd, spawn } from "../../host/index.js";
import { loadCore, koffiSyscalls } from "../../host/embed.js";
import { traceSyscalls } from "../../host/testing.js";
import { cleanup, exitOf, firstLine, procStatus } from "../util.js";

const MIB = 256;
/** A child that touches MIB MiB of anonymous memory, then says "ready" and waits. */
const HOG = `b = bytearray(${MIB} << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint("ready", flush=True)\nimport sys\nsys.stdin.read()`;

/** VmRSS of /proc/<pid>/status in KiB; 0 once it has no memory (a zombie has no VmRSS line), or is gone. */
function rssKib(pid: number): number {
  const rss = procStatus(pid)?.get("VmRSS");
  return rss === undefined ? 0 : parseInt(rss, 10);
}

describe("kill({ reclaim: true })", () => {
  it("frees the process's memory before it returns, and the process dies of SIGKILL", async () => {
    const child = spawnNode("python3", ["-c", HOG], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      assert.equal(await firstLine(child), "ready");
      using pidfd = PidFd.open(child.pid!);
      assert.ok(rssKib(child.pid!) > MIB * 1024, "the memory is resident before the kill");
      assert.equal(pidfd.kill({ reclaim: true }), true);
      // process_mrelease has unmapped the anonymous memory: what is left is a few pages at most
      // (the process, now exiting, can never touch its memory again).
      assert.ok(rssKib(child.pid!) < MIB * 1024 / 8, `VmRSS ${rssKib(child.pid!)} KiB after the reclaim`);
      assert.deepEqual(await exitOf(child), [null, "SIGKILL"]);
    } finally {
      await cleanup(child);
    }
  });

  it("makes one pidfd_send_signal(SIGKILL) and one process_mrelease(pidfd, 0)", async () => {
    // (and a signal-0 probe when process_mrelease finds no memory left: the process got to its
    // exit first, an ESRCH that the probe tells from a reaped process)
    const trace = traceSyscalls(koffiSyscalls());
    const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
    try {
      using pidfd = PidFd.on(loadCore(trace)).open(child.pid);
      trace.reset();
      assert.equal(pidfd.kill({ reclaim: true }), true);
      const calls = trace.calls().map((call) => [call.method, call.args, call.result]);
      assert.deepEqual(calls.slice(0, 2).map(([method, args]) => [method, args]), [
        ["pidfdSendSignal", [pidfd.fd, 9, 0, 0]],
        ["processMrelease", [pidfd.fd, 0]],
      ]);
      if (calls[1]![2] === 0) assert.equal(calls.length, 2);
      else assert.deepEqual(calls.slice(1), [["processMrelease", [pidfd.fd, 0], -3], ["pidfdSendSignal", [pidfd.fd, 0, 0, 0], 0]]);
      assert.equal((await child.exited).signal, "SIGKILL");
    } finally {
      child.close();
    }
  });

  it("without reclaim: SIGKILL only, false; a typo in the options is a TypeError and kills nothing", async () => {
    const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
    try {
      assert.throws(() => child.pidfd.kill({ reclame: true } as never), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE" });
      assert.throws(() => child.pidfd.kill({ reclaim: 1 } as never), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
      assert.equal(child.pidfd.isAlive(), true);
      assert.equal(child.pidfd.kill(), false);
      assert.equal((await child.exited).signal, "SIGKILL");
    } finally {
      child.close();
    }
  });

  it("a process that has exited already: the kill is ESRCH, as kill() without reclaim", async () => {
    const child = spawn("true", [], { stdio: "ignore" });
    const pidfd = PidFd.open(child.pid);
    await child.exited;
    assert.throws(() => pidfd.kill({ reclaim: true }), { code: "ESRCH", syscall: "pidfd_send_signal" });
    pidfd.close();
    child.close();
  });
});
