// A wait that times out says so: "ETIMEDOUT: timed out waiting for the process", not libuv's
// "connection timed out", which is about sockets.
import assert from "node:assert/strict";
import { PidFd, PidFdError, errnoMessage } from "../../host/index.js";
import { ETIMEDOUT } from "../../host/errno.js";

describe("ETIMEDOUT", () => {
  it("waitAsync({ timeout }) on a process that cannot exit meanwhile (this one) rejects with the wait's message", async () => {
    using self = PidFd.self();
    await assert.rejects(self.waitAsync({ timeout: 1 }), (error: unknown) => {
      assert.ok(error instanceof PidFdError);
      assert.equal(error.code, "ETIMEDOUT");
      assert.equal(error.message, "ETIMEDOUT: timed out waiting for the process, waitAsync (the process did not exit within 1 ms)");
      return true;
    });
    assert.equal(errnoMessage(ETIMEDOUT), "timed out waiting for the process");
  });
});
