// A PidFdError's `syscall` is a system call or absent: the library's own failures (EBUSY from
// fromFd, ETIMEDOUT from waitAsync's and terminate()'s limits, a handle from another boot, a
// pidfile it cannot verify or read, a tree that holds this process) have none, and their message
// names the method instead, as Node's errors name what failed.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PidFd, PidFdError, readPidfile, spawn } from "../../host/index.js";
import { tempDirPerTest } from "../util.js";

function ownFailure(code: string, message: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof PidFdError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.syscall, undefined);
    assert.equal(Object.hasOwn(error, "syscall"), false, "no syscall property at all");
    assert.match(error.message, message);
    return true;
  };
}

describe("errors that no syscall returned", () => {
  it("fromFd of an fd a PidFd owns: EBUSY, naming fromFd", () => {
    using self = PidFd.self();
    assert.throws(() => PidFd.fromFd(self.fd), ownFailure("EBUSY", /^EBUSY: [^,]+, fromFd \(fd \d+ already belongs to another PidFd\)$/));
  });

  it("waitAsync({ timeout }): ETIMEDOUT, naming waitAsync", async () => {
    using self = PidFd.self();
    await assert.rejects(self.waitAsync({ timeout: 1 }), ownFailure("ETIMEDOUT", /^ETIMEDOUT: timed out waiting for the process, waitAsync \(/));
  });

  it("terminate() of a process that outlives both signals: ETIMEDOUT, naming terminate", async () => {
    const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
    try {
      // Signal 0 twice: nothing can make it exit, so both limits pass.
      await assert.rejects(child.pidfd.terminate({ signal: 0, timeout: 1, escalate: 0, escalateTimeout: 1 }),
        ownFailure("ETIMEDOUT", /^ETIMEDOUT: timed out waiting for the process, terminate \(the process outlived/));
    } finally {
      child.close();
    }
  });

  describe("identities and trees", () => {
    const temp = tempDirPerTest("pidfd-own-failure-");

    it("fromHandle() of another boot's handle: ESRCH, naming fromHandle", () => {
      using self = PidFd.self();
      const handle = self.toHandle();
      handle[12]! ^= 0xff; // the boot id
      assert.throws(() => PidFd.fromHandle(handle), ownFailure("ESRCH", /, fromHandle \(the handle is from another boot/));
    });

    it("fromPidfile() of a bare pid: ENODATA, naming fromPidfile; readPidfile() of no pid: EINVAL, naming readPidfile", () => {
      const file = path.join(temp.dir, "app.pid");
      fs.writeFileSync(file, `${process.pid}\n`);
      assert.throws(() => PidFd.fromPidfile(file), ownFailure("ENODATA", /, fromPidfile \(pidfile .* holds a bare pid/));
      fs.writeFileSync(file, "no pid\n");
      assert.throws(() => readPidfile(file), ownFailure("EINVAL", /, readPidfile \(pidfile .*: line 1 is not a pid/));
    });

    it("signalTree() and killTree() of this process's own tree: EINVAL, naming the method", async () => {
      using self = PidFd.self();
      assert.throws(() => self.signalTree(0), ownFailure("EINVAL", /, signalTree \(process \d+ is this process/));
      await assert.rejects(self.killTree({ signal: 0 }), ownFailure("EINVAL", /, killTree \(process \d+ is this process/));
    });
  });
});
