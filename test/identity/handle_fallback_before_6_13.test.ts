// Before Linux 6.13 pidfs has no file handles: fromHandle() opens the handle's pid and checks its
// id (the `pid:id` form), so a pid reused since gives ESRCH, never the newcomer. From 6.13 it is
// open_by_handle_at, which finds the process by id alone. Before 6.9 there are no ids: ENOTSUP.
import assert from "node:assert/strict";
import { loadCore } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { SimulatedKernel, traceSyscalls } from "../../host/testing.js";

function kernelAt(level: string) {
  const kernel = new SimulatedKernel({ level });
  const trace = traceSyscalls(kernel);
  return { kernel, trace, Pid: PidFd.on(loadCore(trace)) };
}

describe("PidFd.fromHandle() on older kernels (simulated)", () => {
  for (const level of ["6.9", "6.11"]) {
    it(`${level}: pidfd_open of the pid, checked against the id; a reused pid gives ESRCH`, () => {
      const { kernel, trace, Pid } = kernelAt(level);
      const old = kernel.spawn();
      const handle = Pid.open(old.pid).toHandle();
      trace.reset();
      const again = Pid.fromHandle(handle);
      assert.equal(again.getId(), old.id);
      assert.equal(trace.count("openByHandleAt"), 0);
      kernel.exit(old.pid, { code: 0 });
      kernel.reap(old.pid);
      const newcomer = kernel.spawn({ pid: old.pid });
      assert.throws(() => Pid.fromHandle(handle), { code: "ESRCH" });
      assert.equal(newcomer.state, "running");
    });
  }

  for (const level of ["6.13", "6.18"]) {
    it(`${level}: open_by_handle_at by the id; the reaped process's handle gives ESRCH though its pid is reused`, () => {
      const { kernel, trace, Pid } = kernelAt(level);
      const old = kernel.spawn();
      const handle = Pid.open(old.pid).toHandle();
      trace.reset();
      assert.equal(Pid.fromHandle(handle).getId(), old.id);
      assert.equal(trace.count("openByHandleAt"), 1);
      kernel.exit(old.pid, { code: 0 });
      kernel.reap(old.pid);
      kernel.spawn({ pid: old.pid });
      assert.throws(() => Pid.fromHandle(handle), { code: "ESRCH", syscall: "open_by_handle_at" });
    });
  }

  it("6.5: toHandle() is ENOTSUP (no pidfs ids)", () => {
    const { kernel, Pid } = kernelAt("6.5");
    assert.throws(() => Pid.open(kernel.spawn().pid).toHandle(), { code: "ENOTSUP" });
  });
});
