// A pidfile with a bare pid (no identity line, as other tools write them, or as writePidfile()
// writes before Linux 6.9) cannot be verified: fromPidfile() refuses it (ENODATA) unless asked
// with { legacy: true }, which opens the pid as it is.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { loadCore } from "../../host/embed.js";
import { PidFd, writePidfile } from "../../host/index.js";
import { SimulatedKernel } from "../../host/testing.js";
import { tempDirPerTest } from "../util.js";

describe("PidFd.fromPidfile() of a bare-pid pidfile", () => {
  const temp = tempDirPerTest("pidfd-pidfile-");

  it("ENODATA by default; { legacy: true } opens the pid unverified", () => {
    const file = path.join(temp.dir, "legacy.pid");
    fs.writeFileSync(file, ` ${process.pid} \n`);
    assert.throws(() => PidFd.fromPidfile(file), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, "ENODATA");
      assert.match(error.message, /bare pid and no identity.*legacy: true/);
      return true;
    });
    using opened = PidFd.fromPidfile(file, { legacy: true });
    assert.equal(opened.getPid(), process.pid);
  });

  it("before Linux 6.9 (simulated) writePidfile() writes the pid alone, which reads back as a bare pid", () => {
    const kernel = new SimulatedKernel({ level: "6.5" });
    const Pid = PidFd.on(loadCore(kernel));
    const child = kernel.spawn();
    const file = path.join(temp.dir, "old.pid");
    writePidfile(file, Pid.open(child.pid));
    assert.equal(fs.readFileSync(file, "latin1"), `${child.pid}\n`);
    assert.throws(() => Pid.fromPidfile(file), { code: "ENODATA" });
    assert.equal(Pid.fromPidfile(file, { legacy: true }).getPid(), child.pid);
  });
});
