// getId() on the real kernel: the pidfs id, the same through any pidfd of the process.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";
import { cleanup, spawnShell } from "../util.js";

describe("PidFd.getId", () => {
  it("is the pidfd's pidfs inode number on 64-bit, equal for two pidfds of one process", () => {
    using first = PidFd.self();
    using second = PidFd.self();
    const id = first.getId();
    assert.equal(typeof id, "bigint");
    assert.equal(id, second.getId());
    if (process.arch === "x64" || process.arch === "arm64") assert.equal(id, fs.fstatSync(first.fd, { bigint: true }).ino);
  });

  it("differs between two processes", async () => {
    const child = await spawnShell("sleep 30");
    try {
      using self = PidFd.self();
      using other = PidFd.open(child.pid!);
      assert.notEqual(self.getId(), other.getId());
    } finally {
      await cleanup(child);
    }
  });

  it("throws EBADF once closed", () => {
    const pidfd = PidFd.self();
    pidfd.close();
    assert.throws(() => pidfd.getId(), { code: "EBADF" });
  });
});
