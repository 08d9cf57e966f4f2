// PIDFD_INFO_EXIT's exit_code is the kernel's task exit_code: a wait status for a process, any
// int for a kernel thread (kthread_exit()). Only a status a process ends with becomes `exit`;
// any other value gives `exit: null` (mask keeps PIDFD_INFO_EXIT), never a status made by
// masking it to 16 bits, and never an exception from getInfo().
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { decodePidfdInfo, loadCore } from "../../host/embed.js";
import { PIDFD_INFO_CGROUPID, PIDFD_INFO_EXIT } from "../../host/constants.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";

/** A struct pidfd_info (80 bytes) of a reaped process: EXIT | CGROUPID, with `exitCode`. */
function reapedInfo(exitCode: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(80));
  view.setBigUint64(0, BigInt(PIDFD_INFO_EXIT | PIDFD_INFO_CGROUPID), true);
  view.setBigUint64(8, 42n, true);
  view.setInt32(60, exitCode, true);
  return new Uint8Array(view.buffer);
}

/** exit_code values no process ends with, and the status `& 0xffff` made of each. */
const NOT_AN_END: [number, string][] = [
  [0x10000, "exited with code 0"], [0x10009, "killed by SIGKILL"], [0x1ff00, "exited with code 255"],
  [-1, "continued"], [-4, "no status (0xfffc), a RangeError"], [-0x80000000, "exited with code 0"],
  [0x137f, "stopped by SIGSTOP"], [0xffff, "continued"], [0x80, "no status (0x80), a RangeError"],
];

describe("PIDFD_INFO_EXIT with an exit_code that is no process's end", () => {
  it("decodePidfdInfo: exit is null, the mask still says EXIT, the other fields stay", () => {
    for (const [exitCode, masked] of NOT_AN_END) {
      const info = decodePidfdInfo(reapedInfo(exitCode));
      assert.equal(info.exit, null, `exit_code ${exitCode} (masked: ${masked})`);
      assert.equal(info.mask, PIDFD_INFO_EXIT | PIDFD_INFO_CGROUPID);
      assert.equal(info.cgroupId, 42n);
    }
  });

  it("decodePidfdInfo: an exit or a kill decodes as the status it is", () => {
    assert.equal(decodePidfdInfo(reapedInfo(0)).exit?.toString(), "exited with code 0");
    assert.equal(decodePidfdInfo(reapedInfo(255 << 8)).exit?.toString(), "exited with code 255");
    assert.equal(decodePidfdInfo(reapedInfo(9)).exit?.toString(), "killed by SIGKILL");
    assert.equal(decodePidfdInfo(reapedInfo(0x86)).exit?.toString(), "killed by SIGABRT (core dumped)");
  });

  it("PidFd.getInfo() of a reaped kernel thread whose exit_code is -EINTR: exit null, no exception", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    const SimPidFd = PidFd.on(loadCore(sim));
    const kthread = sim.spawn({ parent: 1 });
    using pidfd = SimPidFd.open(kthread.pid);
    sim.exit(kthread.pid, { code: 0 });
    kthread.status = -4; // kthread_exit(-EINTR): the simulated kernel only makes process statuses
    sim.reap(kthread.pid);
    const info = pidfd.getInfo();
    assert.equal(info.mask & PIDFD_INFO_EXIT, PIDFD_INFO_EXIT);
    assert.equal(info.exit, null);
    assert.equal(info.pid, null);
  });
});
