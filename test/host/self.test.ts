// PidFd on this process and on a spawned child: every getter against an independent source.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { PidFd, NAMESPACE_TYPES, type NamespaceType } from "../../host/index.js";
import { cleanup, fdinfoFlags, isCloexec, spawnShell, until, UNTIL_KILLED } from "../util.js";

/** Real, effective, saved and filesystem ids from a /proc/<pid>/status line ("Uid:" / "Gid:"). */
function statusIds(pid: number | "self", key: "Uid" | "Gid"): number[] {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${key}:`));
  assert.ok(line, `${key}: line in /proc/${pid}/status`);
  return line.split(/\s+/).slice(1, 5).map(Number);
}

function credsFromProc(pid: number | "self"): Record<string, number> {
  const [ruid, euid, suid, fsuid] = statusIds(pid, "Uid");
  const [rgid, egid, sgid, fsgid] = statusIds(pid, "Gid");
  return { ruid, euid, suid, fsuid, rgid, egid, sgid, fsgid } as Record<string, number>;
}

const namespaceTypes = Object.keys(NAMESPACE_TYPES) as NamespaceType[];

describe("PidFd.self() on the real kernel", () => {
  let self: PidFd;
  before(() => { self = PidFd.self(); });
  after(() => self.close());

  it("getPid and getPpid match process.pid and process.ppid", () => {
    assert.equal(self.getPid(), process.pid);
    assert.equal(self.getPpid(), process.ppid);
  });

  it("getCreds matches process.getuid()/getgid() and /proc/self/status", () => {
    const creds = self.getCreds();
    assert.equal(creds.ruid, process.getuid!());
    assert.equal(creds.euid, process.geteuid!());
    assert.equal(creds.rgid, process.getgid!());
    assert.equal(creds.egid, process.getegid!());
    assert.deepEqual({ ...creds }, { ...credsFromProc("self"), ...creds });
    assert.deepEqual(Object.keys(creds).sort(), Object.keys(credsFromProc("self")).sort());
    for (const [key, value] of Object.entries(credsFromProc("self"))) assert.equal(creds[key as keyof typeof creds], value, key);
  });

  it("getId is the pidfs inode of the pidfd (fstat)", () => {
    assert.equal(self.getId(), fs.fstatSync(self.fd, { bigint: true }).ino);
  });

  it("getId is the same through any pidfd of the process and differs between processes", async () => {
    using other = PidFd.open(process.pid);
    assert.notEqual(other.fd, self.fd);
    assert.equal(other.getId(), self.getId());
    const child = await spawnShell(UNTIL_KILLED);
    try {
      using childFd = PidFd.open(child.pid!);
      assert.notEqual(childFd.getId(), self.getId());
    } finally {
      await cleanup(child);
    }
  });

  for (const type of namespaceTypes) {
    it(`getNamespace("${type}") names /proc/self/ns/${type}`, () => {
      const fd = self.getNamespace(type);
      try {
        assert.equal(fs.fstatSync(fd).ino, fs.statSync(`/proc/self/ns/${type}`).ino);
        assert.ok(isCloexec(fd), "namespace fd is O_CLOEXEC");
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  it("getInfo returns pid, tgid, ppid, creds and cgroup id in one call; no exit status while alive", () => {
    const info = self.getInfo();
    assert.equal(info.pid, process.pid);
    assert.equal(info.tgid, process.pid);
    assert.equal(info.ppid, process.ppid);
    assert.deepEqual(info.creds, self.getCreds());
    assert.equal(info.cgroupId, self.getCgroupId());
    assert.equal(info.exit, null);
    assert.equal(info.mask & 0b111, 0b111);
  });

  it("the pidfd is O_CLOEXEC", () => {
    assert.ok(isCloexec(self.fd));
  });

  it("isAlive is true for this process", () => {
    assert.equal(self.isAlive(), true);
  });
});

describe("PidFd.open() of a spawned child", () => {
  it("every getter matches the child's /proc entries", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    try {
      using pidfd = PidFd.open(child.pid!);
      assert.equal(pidfd.getPid(), child.pid);
      assert.equal(pidfd.getPpid(), process.pid);
      for (const [key, value] of Object.entries(credsFromProc(child.pid!))) {
        assert.equal(pidfd.getCreds()[key as keyof ReturnType<PidFd["getCreds"]>], value, key);
      }
      assert.equal(pidfd.getId(), fs.fstatSync(pidfd.fd, { bigint: true }).ino);
      for (const type of namespaceTypes) {
        const fd = pidfd.getNamespace(type);
        try {
          assert.equal(fs.fstatSync(fd).ino, fs.statSync(`/proc/${child.pid}/ns/${type}`).ino, type);
        } finally {
          fs.closeSync(fd);
        }
      }
      const info = pidfd.getInfo();
      assert.equal(info.pid, child.pid);
      assert.equal(info.ppid, process.pid);
    } finally {
      await cleanup(child);
    }
  });

  it("a thread pidfd (PIDFD_THREAD) names one thread: pid is the tid, tgid the process", async () => {
    using pidfd = PidFd.open(process.pid, { thread: true });
    const info = pidfd.getInfo();
    assert.equal(info.pid, process.pid);
    assert.equal(info.tgid, process.pid);
    const flags = fdinfoFlags(pidfd.fd);
    assert.ok(flags & 0o200, "O_EXCL (PIDFD_THREAD) shows in the fd's flags");
  });

  it("nonblock sets O_NONBLOCK on the pidfd", () => {
    using pidfd = PidFd.open(process.pid, { nonblock: true });
    assert.ok(fdinfoFlags(pidfd.fd) & 0o4000);
  });
});

describe("getCgroupId on the real kernel", () => {
  let mountPoint: string | undefined;
  let mountedByUs = false;
  before(function () {
    const line = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").find((l) => / - cgroup2 /.test(l));
    if (line) {
      mountPoint = line.split(" ")[4];
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-cgroup2-"));
    try {
      execFileSync("mount", ["-t", "cgroup2", "none", dir], { stdio: "ignore" });
      mountPoint = dir;
      mountedByUs = true;
    } catch {
      fs.rmdirSync(dir);
    }
  });
  after(() => {
    if (mountedByUs && mountPoint) {
      execFileSync("umount", [mountPoint]);
      fs.rmdirSync(mountPoint);
    }
  });

  it("is the inode of the process's cgroup v2 directory", async function () {
    const ownPath = fs.readFileSync("/proc/self/cgroup", "utf8").split("\n").find((l) => l.startsWith("0::"))!.slice(3);
    using self = PidFd.self();
    if (!mountPoint) {
      // No cgroup2 hierarchy can be mounted here: the kernel reports the v2 root, whose id is 1.
      assert.equal(ownPath, "/");
      assert.equal(self.getCgroupId(), 1n);
      return;
    }
    assert.equal(self.getCgroupId(), fs.statSync(path.join(mountPoint, ownPath), { bigint: true }).ino);
    // Move a child of ours into a new cgroup and look again.
    const group = path.join(mountPoint, ownPath, `pidfd-test-${process.pid}`);
    fs.mkdirSync(group);
    const child = await spawnShell(UNTIL_KILLED);
    try {
      fs.writeFileSync(path.join(group, "cgroup.procs"), String(child.pid));
      using pidfd = PidFd.open(child.pid!);
      assert.equal(pidfd.getCgroupId(), fs.statSync(group, { bigint: true }).ino);
      assert.notEqual(pidfd.getCgroupId(), self.getCgroupId());
    } finally {
      await cleanup(child);
      await removeCgroup(group);
    }
  });
});

/**
 * Removes a cgroup whose tasks are reaped. The kernel may still count a reaped task in its
 * cgroup for a moment: until cgroup.events says "populated 0", rmdir fails with EBUSY.
 */
async function removeCgroup(dir: string): Promise<void> {
  await until(() => /^populated 0$/m.test(fs.readFileSync(path.join(dir, "cgroup.events"), "utf8")));
  fs.rmdirSync(dir);
}
