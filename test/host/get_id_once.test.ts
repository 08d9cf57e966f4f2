// getId() reads the id once: a process's id never changes, so later calls make no syscall, and a
// closed PidFd still answers EBADF.
import assert from "node:assert/strict";
import { koffiSyscalls, loadCore } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { traceSyscalls } from "../../host/testing.js";

describe("getId()", () => {
  it("one syscall for any number of calls; EBADF after close()", () => {
    const trace = traceSyscalls(koffiSyscalls());
    const pidfd = PidFd.on(loadCore(trace)).self();
    trace.reset();
    const id = pidfd.getId();
    const first = trace.count();
    for (let i = 0; i < 100; i++) assert.equal(pidfd.getId(), id);
    assert.equal(trace.count(), first, "no syscall after the first call");
    assert.ok(first >= 1);
    pidfd.close();
    assert.throws(() => pidfd.getId(), { code: "EBADF" });
  });
});
