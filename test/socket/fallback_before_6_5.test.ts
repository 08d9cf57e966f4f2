// Before Linux 6.5 there is no SO_PEERPIDFD: fromSocket() takes SO_PEERCRED's pid, recorded at
// connect time, and opens it, which races with pid reuse: `verified` is false, and a peer that
// exited and whose pid was reused gives the newcomer (what SO_PEERPIDFD exists to prevent). From
// 6.5 to 6.15 a reaped peer is ESRCH; from 6.16 a pidfd for it (simulated kernels).
import assert from "node:assert/strict";
import { loadCore } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { SimulatedKernel, traceSyscalls, type SimProcess } from "../../host/testing.js";

/** The simulated process a PidFd of `kernel` names. */
function processOf(kernel: SimulatedKernel, pidfd: PidFd): SimProcess | undefined {
  const file = kernel.file(pidfd.fd);
  return file?.kind === "pidfd" ? file.process : undefined;
}

function kernelAt(level: string) {
  const kernel = new SimulatedKernel({ level });
  const trace = traceSyscalls(kernel);
  return { kernel, trace, Pid: PidFd.on(loadCore(trace)) };
}

describe("PidFd.fromSocket() on older kernels (simulated)", () => {
  it("6.4: SO_PEERCRED + pidfd_open, verified false; the racy answer is the newcomer once the pid is reused", () => {
    const { kernel, trace, Pid } = kernelAt("6.4");
    const peer = kernel.spawn();
    const socket = kernel.openSocket(peer.pid);
    const first = Pid.fromSocket(socket);
    assert.equal(first.verified, false);
    assert.equal(first.pidfd.getPid(), peer.pid);
    first.pidfd.close();
    trace.reset();
    Pid.fromSocket(socket).pidfd.close();
    assert.equal(trace.count("getsockopt"), 1, "SO_PEERPIDFD's absence is cached: SO_PEERCRED only");
    kernel.exit(peer.pid, { code: 0 });
    kernel.reap(peer.pid);
    assert.throws(() => Pid.fromSocket(socket), { code: "ESRCH" });
    const newcomer = kernel.spawn({ pid: peer.pid });
    const racy = Pid.fromSocket(socket);
    assert.equal(racy.verified, false);
    assert.equal(processOf(kernel, racy.pidfd), newcomer);
    racy.pidfd.close();
  });

  for (const [level, reaped] of [["6.5", "ESRCH"], ["6.15", "ESRCH"], ["6.16", "its pidfd"], ["6.18", "its pidfd"]] as const) {
    it(`${level}: SO_PEERPIDFD, verified; a reaped peer whose pid was reused gives ${reaped}, never the newcomer`, () => {
      const { kernel, Pid } = kernelAt(level);
      const peer = kernel.spawn();
      const socket = kernel.openSocket(peer.pid);
      const live = Pid.fromSocket(socket);
      assert.equal(live.verified, true);
      assert.equal(processOf(kernel, live.pidfd), peer);
      live.pidfd.close();
      kernel.exit(peer.pid, { code: 3 });
      kernel.reap(peer.pid);
      kernel.spawn({ pid: peer.pid });
      if (reaped === "ESRCH") {
        assert.throws(() => Pid.fromSocket(socket), { code: "ESRCH", syscall: "getsockopt" });
      } else {
        const gone = Pid.fromSocket(socket);
        assert.equal(gone.verified, true);
        assert.equal(processOf(kernel, gone.pidfd), peer);
        assert.equal(gone.pidfd.isAlive(), false);
        gone.pidfd.close();
      }
    });
  }

  it("a socket without a peer: ENODATA, through SO_PEERPIDFD and through SO_PEERCRED", () => {
    for (const level of ["6.4", "6.18"]) {
      const { kernel, Pid } = kernelAt(level);
      assert.throws(() => Pid.fromSocket(kernel.openSocket(undefined)), { code: "ENODATA" });
    }
  });
});
