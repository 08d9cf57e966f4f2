// examples/deno/host.ts: the core hosted by Deno (its own FFI, Deno's permission sandbox) gives
// the same answers as the Node host about a real process, and waits for its own children.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { PidFd, spawn } from "../../host/index.js";
import { NAMESPACE_TYPES } from "../../host/constants.js";
import { cleanup, procStatus, spawnShell, UNTIL_KILLED } from "../util.js";
import { DENO, runDenoHost } from "./deno.js";

describe("the Deno host (examples/deno, --allow-read of the .wasm and --allow-ffi only)", () => {
  it("the deno devDependency's bin runs", () => {
    assert.match(execFileSync(DENO, ["--version"], { encoding: "utf8" }), /^deno \d+\.\d+\.\d+/);
  });

  it("answers as the Node host: pid, ppid, creds (= /proc), id (= st_ino), namespaces (= /proc/<pid>/ns), signal 0", async function () {
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

  it("waits for its own children as the Node host does: exit 7 (blocking wait), SIGTERM (waitAsync, loop free)", async function () {
    this.timeout(60000);
    const self = await spawnShell(UNTIL_KILLED); // any live process to report on
    try {
      const { report } = await runDenoHost(self.pid!);
      const exited = await spawn("sh", ["-c", "exit 7"]).exited;
      assert.deepEqual(report.wait, { raw: exited.raw, kind: "exited", value: 7, coreDumped: false });
      const sleeper = spawn("sleep", ["1000"]);
      sleeper.kill("SIGTERM");
      const killed = await sleeper.exited;
      assert.deepEqual(report.waitAsync, { raw: killed.raw, kind: "signaled", value: 15, coreDumped: false, loopRan: true });
    } finally {
      await cleanup(self);
    }
  });
});
