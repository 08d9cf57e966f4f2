// The option objects of SimulatedKernel, its spawn() and PolicySyscalls are checked in full, as
// spawn()'s are: a property that is no option is ERR_INVALID_ARG_VALUE naming it, a wrong type
// ERR_INVALID_ARG_TYPE; nothing is half-built.
import assert from "node:assert/strict";
import { PolicySyscalls, SimulatedKernel } from "../../host/testing.js";

const unknown = (name: string) => ({ name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: new RegExp(`"${name.replace(".", "\\.")}" is not an option`) });
const wrongType = (name: string) => ({ name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: new RegExp(`"${name.replace(".", "\\.")}" property must be`) });

describe("backend option objects", () => {
  it("SimulatedKernel: unknown options, wrong types, a missing level", () => {
    assert.throws(() => new SimulatedKernel({ level: "6.18", uuid: 0 } as never), unknown("options.uuid"));
    assert.throws(() => new SimulatedKernel({ level: "6.18", uid: "0" } as never), wrongType("options.uid"));
    assert.throws(() => new SimulatedKernel({ level: "6.18", threaded: 1 } as never), wrongType("options.threaded"));
    assert.throws(() => new SimulatedKernel({ level: "6.18", onBlockingWait: true } as never), wrongType("options.onBlockingWait"));
    assert.throws(() => new SimulatedKernel({} as never), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"options\.level"/ });
    assert.throws(() => new SimulatedKernel(null as never), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
  });

  it("SimulatedKernel.spawn(): unknown options, wrong types, unknown namespace names", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    assert.throws(() => sim.spawn({ dumpCore: true } as never), unknown("options.dumpCore"));
    assert.throws(() => sim.spawn({ cgroupId: 5 } as never), wrongType("options.cgroupId"));
    assert.throws(() => sim.spawn({ unshare: ["nett"] } as never), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: /options\.unshare\[0\]/ });
    assert.throws(() => sim.spawn({ dumpable: 3 } as never), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
    assert.equal(sim.openFds().length, 3); // nothing was created
  });

  it("PolicySyscalls: unknown options, wrong types, a deny that is no errno it may use", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    assert.throws(() => new PolicySyscalls(sim, { signal: [15] } as never), unknown("policy.signal"));
    assert.throws(() => new PolicySyscalls(sim, { getRemoteFd: "yes" } as never), wrongType("policy.getRemoteFd"));
    assert.throws(() => new PolicySyscalls(sim, { onDeny: {} } as never), wrongType("policy.onDeny"));
    assert.throws(() => new PolicySyscalls(sim, { deny: "ENOSYS" } as never), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: /"policy\.deny"/ });
    assert.throws(() => new PolicySyscalls(sim, { spawn: "yes" } as never), wrongType("policy.spawn"));
    assert.throws(() => new PolicySyscalls(sim, { signals: 15 } as never), { name: "TypeError", message: /"policy\.signals"/ });
    assert.throws(() => new PolicySyscalls(sim, { pids: 42 } as never), { name: "TypeError", message: /"policy\.pids"/ });
    assert.throws(() => new PolicySyscalls(sim, undefined as never), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
    new PolicySyscalls(sim, { pids: { descendantsOf: 1 }, signals: new Set([15]), deny: "ESRCH", spawn: () => true });
  });
});
