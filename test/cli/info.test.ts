// pidfd info: human and JSON output against what /proc and the kernel say about our own children.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";
import { cleanup } from "../util.js";
import { pidfd, sleepingChild, unusedPid } from "./run_cli.js";

const NAMESPACES = ["cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts"];

function nameOf(uid: number, file: string): string {
  const line = fs.readFileSync(file, "utf8").split("\n").find((entry) => entry.split(":")[2] === String(uid));
  return line!.split(":")[0]!;
}

describe("pidfd info (cli)", () => {
  let child: ChildProcess & { pid: number };
  beforeEach(async () => {
    child = await sleepingChild();
  });
  afterEach(async () => {
    await cleanup(child);
  });

  it("--json: one object whose fields match /proc and the library", async () => {
    const { code, stdout, stderr } = await pidfd("info", "--json", String(child.pid));
    assert.equal(code, 0);
    assert.equal(stderr, "");
    const lines = stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1);
    const report = JSON.parse(lines[0]!);
    using own = PidFd.open(child.pid);
    const id = String(own.getId());
    assert.equal(report.pid, child.pid);
    assert.equal(report.tgid, child.pid);
    assert.equal(report.ppid, process.pid);
    assert.equal(report.id, id);
    assert.equal(report.name, `${child.pid}:${id}`);
    assert.equal(report.state, "running");
    assert.match(report.procState, /^[RSD] \(/);
    assert.equal(report.exit, null);
    const uid = process.getuid!();
    const gid = process.getgid!();
    for (const which of ["real", "effective", "saved", "fs"]) {
      assert.deepEqual(report.uids[which], { id: uid, name: nameOf(uid, "/etc/passwd") });
      assert.deepEqual(report.gids[which], { id: gid, name: nameOf(gid, "/etc/group") });
    }
    assert.equal(report.cgroup.id, String(own.getCgroupId()));
    const unified = fs.readFileSync(`/proc/${child.pid}/cgroup`, "utf8").split("\n").find((line) => line.startsWith("0::"));
    assert.equal(report.cgroup.path, unified!.slice(3));
    assert.deepEqual(Object.keys(report.namespaces), NAMESPACES);
    for (const type of NAMESPACES) {
      const link = fs.readlinkSync(`/proc/${child.pid}/ns/${type}`);
      assert.equal(`${type.replace(/_for_children$/, "")}:[${report.namespaces[type]}]`, link, type);
    }
    assert.deepEqual(report.unavailable, {});
  });

  it("the human form starts with <pid>:<id> and lists every field", async () => {
    const { code, stdout, stderr } = await pidfd("info", String(child.pid));
    assert.equal(code, 0);
    assert.equal(stderr, "");
    using own = PidFd.open(child.pid);
    const lines = stdout.split("\n");
    assert.equal(lines[0], `${child.pid}:${own.getId()}`);
    assert.match(stdout, new RegExp(`^  pid +${child.pid}$`, "m"));
    assert.match(stdout, new RegExp(`^  ppid +${process.pid}$`, "m"));
    assert.match(stdout, /^ {2}state +running \(/m);
    assert.match(stdout, new RegExp(`^  uid +${process.getuid!()}\\(${nameOf(process.getuid!(), "/etc/passwd")}\\)$`, "m"));
    assert.match(stdout, new RegExp(`^  id +${own.getId()}$`, "m"));
    for (const type of NAMESPACES) assert.match(stdout, new RegExp(`^  ns ${type} +\\d+$`, "m"));
  });

  it("<pid>:<id> with the right id is accepted; with a wrong id it is refused (exit 1)", async () => {
    using own = PidFd.open(child.pid);
    const id = own.getId();
    const good = await pidfd("info", "--json", `${child.pid}:${id}`);
    assert.equal(good.code, 0);
    assert.equal(JSON.parse(good.stdout).pid, child.pid);
    const bad = await pidfd("info", `${child.pid}:${id + 1000n}`);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, "");
    assert.equal(bad.stderr,
      `pidfd: info ${child.pid}:${id + 1000n}: No such process: pid ${child.pid} now names another process (id ${id})\n`);
  });

  it("several processes: one JSON line each; self is the pidfd process itself", async () => {
    const { code, stdout } = await pidfd("info", "--json", String(child.pid), "self");
    assert.equal(code, 0);
    const [first, second] = stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    assert.equal(first.pid, child.pid);
    assert.equal(second.ppid, process.pid);
    assert.notEqual(second.pid, child.pid);
  });

  it("an unknown pid fails alone (exit 1); mixed with a live one, exit 64", async () => {
    const missing = unusedPid();
    const alone = await pidfd("info", String(missing));
    assert.equal(alone.code, 1);
    assert.equal(alone.stdout, "");
    assert.equal(alone.stderr, `pidfd: info ${missing}: No such process\n`);
    const mixed = await pidfd("info", "--json", String(missing), String(child.pid));
    assert.equal(mixed.code, 64);
    assert.equal(JSON.parse(mixed.stdout).pid, child.pid);
    assert.equal(mixed.stderr, `pidfd: info ${missing}: No such process\n`);
  });

  it("bad process names are usage errors (exit 125), before anything is shown", async () => {
    for (const bad of ["0", "-5", "abc", "12abc", "+5", "0x10", "1e3", "4294967296", `${child.pid}:`, `${child.pid}:x`, `:5`]) {
      const { code, stdout, stderr } = await pidfd("info", String(child.pid), bad);
      assert.equal(code, 125, bad);
      assert.equal(stdout, "", bad);
      assert.equal(stderr, `pidfd: info: invalid process '${bad}': expected a pid (1..2147483647), <pid>:<id> or self (see 'pidfd info --help')\n`);
    }
  });

  it("no process: usage error", async () => {
    const { code, stderr } = await pidfd("info", "--json");
    assert.equal(code, 125);
    assert.equal(stderr, "pidfd: info: no process given (see 'pidfd info --help')\n");
  });
});
