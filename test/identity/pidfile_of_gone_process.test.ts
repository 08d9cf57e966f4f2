// A pidfile outlives its process; opening it then gives ESRCH: once the process is reaped, and
// for a pidfile written in another boot (its id may be another process's in this one).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PidFd, spawn, writePidfile } from "../../host/index.js";
import { tempDirPerTest } from "../util.js";

describe("PidFd.fromPidfile() of a process that is gone", () => {
  const temp = tempDirPerTest("pidfd-pidfile-");

  it("ESRCH once the process is reaped", async () => {
    const child = spawn("sh", ["-c", "read _"], { stdio: ["pipe", "ignore", "ignore"] });
    const file = path.join(temp.dir, "app.pid");
    writePidfile(file, child.pidfd);
    using opened = PidFd.fromPidfile(file);
    assert.equal(opened.getId(), child.pidfd.getId());
    child.stdin!.end();
    await child.exited;
    child.close();
    assert.throws(() => PidFd.fromPidfile(file), { code: "ESRCH" });
  });

  it("ESRCH for a pidfile of another boot, though its pid and id are a live process's", () => {
    using self = PidFd.self();
    const file = path.join(temp.dir, "self.pid");
    writePidfile(file, self);
    const text = fs.readFileSync(file, "latin1");
    const boot = text.split("\n")[1]!.split(" ")[2]!;
    const other = `${boot[0] === "0" ? "1" : "0"}${boot.slice(1)}`;
    fs.writeFileSync(file, text.replace(boot, other));
    assert.throws(() => PidFd.fromPidfile(file), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, "ESRCH");
      assert.match(error.message, /another boot/);
      return true;
    });
  });
});
