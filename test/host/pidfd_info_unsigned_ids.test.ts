// struct pidfd_info's pid, tgid and ppid are __u32: decodePidfdInfo and PidFd.getInfo() read
// them unsigned, so 2^31 and above read as the numbers the bytes hold, never as negatives.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { decodePidfdInfo, loadCore } from "../../host/embed.js";
import { PIDFD_INFO_PID } from "../../host/constants.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";

/** A struct pidfd_info (64 bytes) with PIDFD_INFO_PID and these ids. */
function idsInfo(pid: number, tgid: number, ppid: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(64));
  view.setBigUint64(0, BigInt(PIDFD_INFO_PID), true);
  view.setUint32(16, pid, true);
  view.setUint32(20, tgid, true);
  view.setUint32(24, ppid, true);
  return new Uint8Array(view.buffer);
}

describe("struct pidfd_info's ids are unsigned", () => {
  it("decodePidfdInfo: 2^31, 2^32 - 1 and 2^31 - 1 read as themselves", () => {
    const info = decodePidfdInfo(idsInfo(0x80000000, 0xffffffff, 0x7fffffff));
    assert.deepEqual([info.pid, info.tgid, info.ppid], [2147483648, 4294967295, 2147483647]);
  });

  it("decodePidfdInfo: ordinary ids and 0 (outside our pid namespace) are unchanged", () => {
    const info = decodePidfdInfo(idsInfo(4194304, 1, 0));
    assert.deepEqual([info.pid, info.tgid, info.ppid], [4194304, 1, 0]);
  });

  it("PidFd.getInfo(): a ppid of 2^31 from the kernel reads as 2147483648", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    const SimPidFd = PidFd.on(loadCore(sim));
    const child = sim.spawn();
    try {
      using pidfd = SimPidFd.open(child.pid);
      child.ppid = 0x80000000; // no kernel has such a pid (PID_MAX_LIMIT is 2^22): the bytes decide
      assert.equal(pidfd.getInfo().ppid, 2147483648);
      assert.equal(pidfd.getInfo().pid, child.pid);
    } finally {
      sim.exit(child.pid, { signal: 9 });
      sim.reap(child.pid);
    }
  });
});
