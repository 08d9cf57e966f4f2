// Through the simulated kernel: sendSignal's value lands in the siginfo the kernel delivers
// (x86_64 layout written by the core, read back by the simulation), kill({ reclaim }) before and
// after Linux 5.15, and getInfo().coredump as pidfs records it for each core_pattern.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";
import { traceSyscalls } from "../../host/sys/trace.js";

function kernel(level: string, corePattern?: string) {
  const sim = new SimulatedKernel({ level, uid: 1000, ...(corePattern === undefined ? {} : { corePattern }) });
  const trace = traceSyscalls(sim);
  return { sim, trace, Pid: PidFd.on(loadCore(trace)) };
}

describe("the simulated kernel: signal values, memory release, coredump flags", () => {
  it("sendSignal({ value }) delivers si_code SI_QUEUE, the value, and our pid and uid", () => {
    const { sim, Pid } = kernel("6.18");
    const child = sim.spawn();
    using pidfd = Pid.open(child.pid);
    pidfd.sendSignal("SIGURG", { value: -99 }); // ignored by default: the child lives on
    pidfd.sendSignal("SIGURG");
    assert.deepEqual(child.received, [
      { signo: 23, code: -1, pid: sim.self.pid, uid: process.getuid!(), value: -99 },
      { signo: 23, code: 0, pid: sim.self.pid, uid: 1000, value: 0 },
    ]);
  });

  it("kill({ reclaim: true }) from 5.15: process_mrelease finds the killed process's memory gone, true", () => {
    const { sim, trace, Pid } = kernel("6.18");
    const child = sim.spawn();
    using pidfd = Pid.open(child.pid);
    trace.reset();
    assert.equal(pidfd.kill({ reclaim: true }), true);
    assert.deepEqual(trace.calls().map((call) => [call.method, call.result]),
      [["pidfdSendSignal", 0], ["processMrelease", -3], ["pidfdSendSignal", 0]]);
    assert.equal(sim.reap(child.pid) & 0x7f, 9);
  });

  it("kill({ reclaim: true }) before 5.15 kills, and says the memory was not released (ENOSYS)", () => {
    const { sim, trace, Pid } = kernel("5.6");
    const child = sim.spawn();
    using pidfd = Pid.open(child.pid);
    assert.equal(pidfd.kill({ reclaim: true }), false);
    assert.equal(trace.calls("processMrelease")[0]!.result, -38);
    assert.equal(sim.process(child.pid)!.state, "zombie");
  });

  it("release_memory on a running process is EINVAL (not exiting), on a reaped one ESRCH", () => {
    const { sim } = kernel("6.18");
    const core = loadCore(sim);
    const child = sim.spawn();
    using pidfd = PidFd.on(core).open(child.pid);
    assert.equal(core.exports.release_memory(pidfd.fd), -22);
    sim.exit(child.pid, { code: 0 });
    assert.equal(core.exports.release_memory(pidfd.fd), 0); // a zombie: nothing left to free
    sim.reap(child.pid);
    assert.equal(core.exports.release_memory(pidfd.fd), -3);
  });

  const NONE = { dumped: false, skipped: false, user: false, root: false, signal: null };
  for (const [pattern, recorded] of [["core", false], ["@/run/coredump.socket", true], ["|/usr/lib/systemd/systemd-coredump %P %F", true], ["|/bin/handler %p", false]] as const) {
    it(`core_pattern ${JSON.stringify(pattern)}: after a SIGQUIT dump, coredump.dumped is ${recorded}`, () => {
      const { sim, Pid } = kernel("6.18", pattern);
      const child = sim.spawn({ dumpsCore: true });
      using pidfd = Pid.open(child.pid);
      assert.deepEqual(pidfd.getInfo().coredump, { ...NONE, mask: 4, user: true });
      pidfd.sendSignal("SIGQUIT");
      sim.reap(child.pid);
      const info = pidfd.getInfo();
      assert.equal(info.exit!.coreDumped, true);
      assert.deepEqual(info.coredump, recorded ? { ...NONE, mask: 5, dumped: true, user: true } : { ...NONE, mask: 0 });
    });
  }

  it("a process dumpable only as root (suid_dumpable 2) and one not dumpable", () => {
    const { sim, Pid } = kernel("6.18", "@/run/coredump.socket");
    const rootDump = sim.spawn({ dumpable: 2 });
    const noDump = sim.spawn({ dumpable: 0 });
    using a = Pid.open(rootDump.pid);
    using b = Pid.open(noDump.pid);
    assert.deepEqual(a.getInfo().coredump, { ...NONE, mask: 8, root: true });
    assert.deepEqual(b.getInfo().coredump, { ...NONE, mask: 2, skipped: true });
    a.sendSignal("SIGSEGV");
    b.sendSignal("SIGSEGV");
    sim.reap(rootDump.pid);
    sim.reap(noDump.pid);
    assert.deepEqual(a.getInfo().coredump, { ...NONE, mask: 9, dumped: true, root: true });
    assert.deepEqual(b.getInfo().coredump, { ...NONE, mask: 0 });
    assert.equal(b.getInfo().exit!.coreDumped, false);
  });

  it("before 6.16 there is no coredump field", () => {
    const { sim, Pid } = kernel("6.15");
    using pidfd = Pid.open(sim.spawn().pid);
    assert.equal(pidfd.getInfo().coredump, null);
  });
});
