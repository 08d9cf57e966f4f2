// getRemoteFd: a duplicate of another process's fd.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PidFd } from "../../host/index.js";
import { cleanup, firstLine, isCloexec, spawnShell, UNTIL_KILLED } from "../util.js";

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
