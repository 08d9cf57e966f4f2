// examples/deno/host.ts: the core hosted by Deno (its own FFI, Deno's permission sandbox) gives
// the same answers as the Node host about a real process, and waits for its own children.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { PidFd, PidFdError, spawn } from "../../host/index.js";
import { NAMESPACE_TYPES } from "../../host/constants.js";
import { cleanup, exitOf, procStatus, spawnShell, UNTIL_KILLED } from "../util.js";
import { asReported, DENO, runDenoHost } from "./deno.js";

describe("the Deno host (examples/deno, --allow-read of the .wasm and --allow-ffi only)", () => {
  it("the deno devDependency's bin runs", () => {
    assert.match(execFileSync(DENO, ["--version"], { encoding: "utf8" }), /^deno \d+\.\d+\.\d+/);
  });

  it("answers as the Node host: getInfo() (pid, ppid, creds = /proc), id (= st_ino), namespaces (= /proc/<pid>/ns), signal 0", async function () {
    this.timeout(60000);
    const child = await spawnShell(UNTIL_KILLED);
    try {
      const pid = child.pid!;
      const { report } = await runDenoHost(pid);
      const pf = PidFd.open(pid);
      try {
        assert.equal(report.getPid, pf.getPid());
        assert.equal(report.info.pid, pid);
        assert.equal(report.getPpid, pf.getPpid());
        assert.equal(report.getPpid, process.pid);
        assert.deepEqual(report.info, asReported(pf.getInfo())); // the same readInfo() decodes both
        assert.deepEqual(report.info.creds, { ...pf.getCreds() });
        const status = procStatus(pid)!;
        const [ruid, euid, suid, fsuid] = status.get("Uid")!.split(/\s+/).map(Number);
        const [rgid, egid, sgid, fsgid] = status.get("Gid")!.split(/\s+/).map(Number);
        assert.deepEqual(report.info.creds, { ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid });
        assert.equal(BigInt(report.id), pf.getId());
        assert.equal(BigInt(report.id), fs.fstatSync(pf.fd, { bigint: true }).ino);
        for (const name of Object.keys(NAMESPACE_TYPES) as (keyof typeof NAMESPACE_TYPES)[]) {
          const nsfd = pf.getNamespace(name);
          try {
            assert.equal(report.namespaces[name], fs.readlinkSync(`/proc/self/fd/${nsfd}`), name);
          } finally {
            fs.closeSync(nsfd);
          }
          assert.equal(report.namespaces[name], fs.readlinkSync(`/proc/${pid}/ns/${name}`), `/proc/${pid}/ns/${name}`);
        }
        assert.equal(report.signal0, 0);
        assert.equal(report.isPidfd, 1);
      } finally {
        pf.close();
      }
    } finally {
      await cleanup(child);
    }
  });

  it("waits for its own children as the Node host does: exit 7 (blocking wait; signal 0 then ESRCH), SIGTERM (waitAsync, loop free)", async function () {
    this.timeout(60000);
    const self = await spawnShell(UNTIL_KILLED); // any live process to report on
    try {
      const { report } = await runDenoHost(self.pid!);
      const exiting = spawn("sh", ["-c", "exit 7"]);
      const exited = await exiting.exited;
      assert.deepEqual(report.wait, exited.toJSON());
      assert.deepEqual(report.wait, { raw: 7 << 8, kind: "exited", code: 7, signal: null, signalNumber: null, coreDumped: false });
      // The PidFdError for the kernel's ESRCH, from the shared fail(): as the Node host's for a
      // process that someone else (here Node's child_process) has reaped.
      const gated = await spawnShell("read _; exit 7");
      const pf = PidFd.open(gated.pid!);
      try {
        gated.stdin!.end("\n");
        await exitOf(gated);
        const error = (() => {
          try {
            pf.sendSignal(0);
          } catch (caught) {
            return caught as PidFdError;
          }
          return assert.fail("sendSignal(0) after the reap did not throw");
        })();
        assert.ok(error instanceof PidFdError);
        assert.deepEqual(report.signalAfterReap,
          { name: error.name, code: error.code, errno: error.errno, syscall: error.syscall, message: error.message });
        assert.equal(error.message, "ESRCH: no such process, pidfd_send_signal (signal 0)");
      } finally {
        pf.close();
      }
      exiting.close();
      const sleeper = spawn("sleep", ["1000"]);
      sleeper.kill("SIGTERM");
      const killed = await sleeper.exited;
      sleeper.close();
      assert.deepEqual(report.waitAsync, { status: killed.toJSON(), loopRan: true });
      assert.equal(report.waitAsync.status.signal, "SIGTERM");
    } finally {
      await cleanup(self);
    }
  });
});
