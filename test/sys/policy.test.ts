// PolicySyscalls: what its policy forbids is denied (EPERM, or ESRCH to hide), visible as a
// PidFdError in the API, and never reaches the backend (counted by a trace beneath it).
import assert from "node:assert/strict";
import { PidFd, PidFdError } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { koffiSyscalls } from "../../host/sys/koffi.js";
import { PolicySyscalls, type CapabilityPolicy } from "../../host/sys/policy.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";
import { traceSyscalls } from "../../host/sys/trace.js";
import { spawnRealChild } from "../api/real_children.js";

function expectError(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => error instanceof PidFdError && error.code === code);
}

describe("PolicySyscalls (a sandbox's capability policy)", () => {
  function setup(policy: (sim: SimulatedKernel) => CapabilityPolicy) {
    const sim = new SimulatedKernel({ level: "6.18", uid: 0 });
    const kernel = traceSyscalls(sim);
    const denials: string[] = [];
    const policyHost = new PolicySyscalls(kernel, { ...policy(sim), onDeny: (syscall) => denials.push(syscall) });
    const Api = PidFd.on(loadCore(policyHost));
    return { sim, kernel, Api, denials, policyHost };
  }

  it("opens only the pids in its list; a denial is EPERM and never reaches the kernel", () => {
    let allowed = 0;
    const { sim, kernel, Api, denials } = setup((sim) => ({ pids: [(allowed = sim.spawn().pid)] }));
    const other = sim.spawn();
    kernel.reset();
    expectError(() => Api.open(other.pid), "EPERM");
    expectError(() => Api.self(), "EPERM");
    assert.equal(kernel.count("pidfdOpen"), 0);
    assert.deepEqual(denials, ["pidfd_open", "pidfd_open"]);
    const pf = Api.open(allowed);
    assert.equal(pf.getPid(), allowed);
    pf.close();
  });

  it("deny: ESRCH hides whether the process exists", () => {
    const { sim, Api } = setup(() => ({ pids: [], deny: "ESRCH" }));
    expectError(() => Api.open(sim.spawn().pid), "ESRCH");
  });

  it("descendantsOf: children and grandchildren, nothing else", () => {
    const { sim, Api } = setup((sim) => ({ pids: { descendantsOf: sim.self.pid }, parentOf: (pid) => sim.process(pid)?.ppid }));
    const child = sim.spawn();
    const grandchild = sim.spawn({ parent: child.pid });
    const stranger = sim.spawn({ parent: 1 });
    Api.open(child.pid).close();
    Api.open(grandchild.pid).close();
    expectError(() => Api.open(stranger.pid), "EPERM");
    expectError(() => Api.open(1), "EPERM");
  });

  it("signals: only the listed ones; signal 0 (isAlive) always", () => {
    const { sim, kernel, Api } = setup((sim) => ({ pids: { descendantsOf: sim.self.pid }, parentOf: (pid) => sim.process(pid)?.ppid, signals: [15] }));
    const pf = Api.open(sim.spawn().pid);
    kernel.reset();
    expectError(() => pf.kill(), "EPERM");
    expectError(() => pf.sendSignal("SIGTERM", { scope: "process-group" }), "EPERM");
    assert.equal(kernel.count("pidfdSendSignal"), 0);
    assert.equal(pf.isAlive(), true);
    pf.sendSignal("SIGTERM");
    assert.equal(pf.wait().signal, "SIGTERM");
    pf.close();
  });

  it("process_mrelease (kill({ reclaim })): only where SIGKILL is allowed", () => {
    const granted = setup((sim) => ({ pids: { descendantsOf: sim.self.pid }, parentOf: (pid) => sim.process(pid)?.ppid, signals: [9] }));
    const pf = granted.Api.open(granted.sim.spawn().pid);
    assert.equal(pf.kill({ reclaim: true }), true);
    assert.equal(granted.kernel.count("processMrelease"), 1);
    pf.close();
    const refused = setup((sim) => ({ pids: { descendantsOf: sim.self.pid }, parentOf: (pid) => sim.process(pid)?.ppid, signals: [15] }));
    const core = loadCore(refused.policyHost);
    const other = PidFd.on(core).open(refused.sim.spawn().pid);
    refused.kernel.reset();
    assert.equal(core.exports.release_memory(other.fd), -1);
    assert.equal(refused.kernel.count("processMrelease"), 0);
    assert.deepEqual(refused.denials, ["process_mrelease"]);
    other.close();
  });

  it("getRemoteFd, getNamespace and setNamespace: denied unless granted", () => {
    const denied = setup((sim) => ({ pids: { descendantsOf: sim.self.pid }, parentOf: (pid) => sim.process(pid)?.ppid }));
    const pf = denied.Api.open(denied.sim.spawn().pid);
    denied.kernel.reset();
    expectError(() => pf.getRemoteFd(0), "EPERM");
    expectError(() => pf.getNamespace("net"), "EPERM");
    expectError(() => pf.setNamespace("uts"), "EPERM");
    assert.equal(denied.kernel.count(), 0);
    pf.close();

    const granted = setup((sim) => ({
      pids: { descendantsOf: sim.self.pid }, parentOf: (pid) => sim.process(pid)?.ppid,
      getRemoteFd: true, getNamespace: true, setNamespace: true,
    }));
    const child = granted.sim.spawn({ unshare: ["uts"] });
    const pf2 = granted.Api.open(child.pid);
    assert.match(granted.sim.describeFd(pf2.getRemoteFd(0))!, /^pipe:/);
    const ns = pf2.getNamespace("uts");
    assert.equal(granted.sim.describeFd(ns), `uts:[${child.namespaces.uts}]`);
    pf2.setNamespace("uts");
    assert.equal(granted.sim.self.namespaces.uts, child.namespaces.uts);
    pf2.close();
  });

  it("fds it did not hand out are EBADF (fromFd), unless admitted", () => {
    const { sim, Api, policyHost } = setup(() => ({ pids: [] }));
    expectError(() => Api.fromFd(0), "EBADF");
    const child = sim.spawn();
    const fd = sim.pidfdOpen(child.pid, 0); // e.g. inherited
    expectError(() => Api.fromFd(fd), "EBADF");
    policyHost.admit(fd, child.pid);
    const pf = Api.fromFd(fd);
    assert.equal(pf.getPid(), child.pid);
    pf.close();
  });

  it("on the real kernel: only our descendants", () => {
    const kernel = traceSyscalls(koffiSyscalls());
    const Api = PidFd.on(loadCore(new PolicySyscalls(kernel, { pids: { descendantsOf: process.pid }, signals: [9] })));
    const child = spawnRealChild();
    try {
      const pf = Api.open(child.pid);
      assert.equal(pf.getPid(), child.pid);
      kernel.reset();
      expectError(() => Api.open(1), "EPERM");
      expectError(() => Api.self(), "EPERM");
      expectError(() => pf.sendSignal("SIGTERM"), "EPERM");
      assert.equal(kernel.count(), 0);
      pf.kill();
      assert.equal(pf.wait().signal, "SIGKILL");
      pf.close();
    } finally {
      child.dispose();
    }
  });
});
