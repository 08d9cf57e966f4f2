// util.inspect() of a PidFd and of a Subprocess: fd, pid and state, as they change.
import assert from "node:assert/strict";
import util from "node:util";
import { PidFd, spawn } from "../../host/index.js";

describe("util.inspect of PidFd and Subprocess", () => {
  it("a PidFd: its fd, its process's pid and 'open'; fd -1, pid null and 'closed' once closed", () => {
    const pidfd = PidFd.self();
    const fd = pidfd.fd;
    assert.equal(util.inspect(pidfd), `PidFd { fd: ${fd}, pid: ${process.pid}, state: 'open' }`);
    pidfd.close();
    assert.equal(util.inspect(pidfd), "PidFd { fd: -1, pid: null, state: 'closed' }");
  });

  it("a Subprocess: 'running' until reaped, then 'exited' with fd -1 and its pidfd 'released'", async () => {
    const child = spawn("sh", ["-c", "exit 0"], { stdio: "ignore" });
    try {
      assert.equal(util.inspect(child), `Subprocess { pid: ${child.pid}, fd: ${child.pidfd.fd}, state: 'running' }`);
      await child.exited;
      assert.equal(util.inspect(child), `Subprocess { pid: ${child.pid}, fd: -1, state: 'exited' }`);
      assert.equal(util.inspect(child.pidfd), "PidFd { fd: -1, pid: null, state: 'released' }");
    } finally {
      child.close();
    }
    assert.equal(util.inspect(child), `Subprocess { pid: ${child.pid}, fd: -1, state: 'closed' }`);
  });
});
