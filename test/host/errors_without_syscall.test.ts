// A PidFdError's `syscall` is a system call or absent: the library's own failures (EBUSY from
// fromFd, ETIMEDOUT from waitAsync's and terminate()'s limits) have none, and their message names
// the method instead, as Node's errors name what failed.
import assert from "node:assert/strict";
import { PidFd, PidFdError, spawn } from "../../host/index.js";

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
});
