// The core loaded through as-bind behaves as the plain WebAssembly instance does.
import assert from "node:assert/strict";
import { PidFd, ExitStatus } from "../../host/index.js";
import { loadCore, koffiSyscalls } from "../../host/embed.js";

describe("as-bind loader", () => {
  it("gives the same answers as the raw loader, on the real kernel", () => {
    const AsBindPidFd = PidFd.on(loadCore(koffiSyscalls(), { loader: "as-bind" }));
    using viaAsBind = AsBindPidFd.self();
    using viaRaw = PidFd.self();
    assert.equal(viaAsBind.getPid(), process.pid);
    assert.equal(viaAsBind.getId(), viaRaw.getId());
    const { exit: _a, ...asBindInfo } = viaAsBind.getInfo();
    const { exit: _b, ...rawInfo } = viaRaw.getInfo();
    assert.deepEqual(asBindInfo, rawInfo);
    assert.equal(viaAsBind.isAlive(), true);
    assert.throws(() => AsBindPidFd.open(2 ** 22 + 1), { code: "ESRCH" });
  });

  it("keeps its own support cache and fd ownership", () => {
    const core = loadCore(koffiSyscalls(), { loader: "as-bind" });
    assert.equal(core.exports.support(2), 0, "GET_INFO not probed yet in a new core");
    using pidfd = PidFd.on(core).self();
    pidfd.getCreds();
    assert.equal(core.exports.support(2), 1);
    assert.ok(ExitStatus.fromRaw(0).success);
  });
});
