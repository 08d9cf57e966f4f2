// writePidfile() replaces a pidfile in one step: it writes a new file in the same directory and
// renames it over the old one, so a reader sees the old pidfile or the new one, never a part of
// either; nothing is left behind, also when the write fails.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PidFd, writePidfile } from "../../host/index.js";
import { tempDirPerTest } from "../util.js";

describe("writePidfile()", () => {
  const temp = tempDirPerTest("pidfd-pidfile-");

  it("renames a new file over the old one (a reader holding the old one keeps reading it whole); no file left behind", () => {
    using self = PidFd.self();
    const file = path.join(temp.dir, "app.pid");
    fs.writeFileSync(file, "1\nold contents\n");
    const before = fs.statSync(file).ino;
    const reader = fs.openSync(file, "r");
    try {
      writePidfile(file, self);
      assert.notEqual(fs.statSync(file).ino, before, "a new inode: renamed, not rewritten in place");
      assert.equal(fs.readFileSync(reader, "latin1"), "1\nold contents\n");
    } finally {
      fs.closeSync(reader);
    }
    assert.equal(PidFd.fromPidfile(file).getId(), self.getId());
    assert.deepEqual(fs.readdirSync(temp.dir), ["app.pid"]);
  });

  it("a failed write leaves no file and no temporary file; the error is Node's", () => {
    using self = PidFd.self();
    assert.throws(() => writePidfile(path.join(temp.dir, "missing", "app.pid"), self), { code: "ENOENT" });
    fs.mkdirSync(path.join(temp.dir, "app.pid")); // rename(2) cannot replace a directory by a file
    assert.throws(() => writePidfile(path.join(temp.dir, "app.pid"), self), { code: "EISDIR" });
    assert.deepEqual(fs.readdirSync(temp.dir), ["app.pid"]);
    assert.deepEqual(fs.readdirSync(path.join(temp.dir, "app.pid")), []);
  });
});
