// ProcessSyscalls.setChildSubreaper (prctl PR_SET_CHILD_SUBREAPER) in every backend: the
// simulated kernel reparents orphans to its subreaper, the trace logs the call, a policy refuses
// it unless granted; trees on a simulated kernel are ENOTSUP.
import assert from "node:assert/strict";
import { loadCore } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { PolicySyscalls, SimulatedKernel, traceSyscalls } from "../../host/testing.js";

describe("setChildSubreaper in every backend", () => {
  it("simulated: orphans go to the nearest subreaper above them, else to init", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    const parent = sim.spawn();
    const orphan = sim.spawn({ parent: parent.pid });
    sim.exit(parent.pid, { code: 0 });
    assert.equal(orphan.ppid, 1, "no subreaper: init");
    assert.equal(sim.processSyscalls.setChildSubreaper(true), 0);
    const second = sim.spawn();
    const grandchild = sim.spawn({ parent: second.pid });
    sim.exit(second.pid, { code: 0 });
    assert.equal(grandchild.ppid, sim.self.pid, "the subreaper adopts it");
  });

  it("trace logs it; a policy refuses it unless `subreaper` is granted", () => {
    const traced = traceSyscalls(new SimulatedKernel({ level: "6.18" }), { log: () => {} });
    assert.equal(traced.processSyscalls!.setChildSubreaper(true), 0);
    assert.deepEqual(traced.calls("setChildSubreaper").map((call) => call.args), [[1]]);
    const denials: string[] = [];
    const refused = new PolicySyscalls(new SimulatedKernel({ level: "6.18" }), { onDeny: (syscall) => denials.push(syscall) });
    assert.equal(refused.processSyscalls!.setChildSubreaper(true), -1);
    assert.deepEqual(denials, ["prctl"]);
    const granted = new PolicySyscalls(new SimulatedKernel({ level: "6.18" }), { subreaper: true });
    assert.equal(granted.processSyscalls!.setChildSubreaper(true), 0);
  });

  it("trees on a simulated kernel are ENOTSUP (they are read from the real /proc)", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    const Sim = PidFd.on(loadCore(sim));
    using pidfd = Sim.open(sim.spawn().pid);
    assert.throws(() => pidfd.children(), { code: "ENOTSUP" });
    assert.throws(() => pidfd.descendants(), { code: "ENOTSUP" });
    assert.throws(() => pidfd.signalTree(), { code: "ENOTSUP" });
  });
});
