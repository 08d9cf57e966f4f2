// An options argument that is not an object (null, a number, a string) is a TypeError
// ERR_INVALID_ARG_TYPE, as in Node; leaving it out (undefined) is the defaults.
import assert from "node:assert/strict";
import { PidFd, spawn } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { SimulatedKernel, traceSyscalls } from "../../host/testing.js";
import { noSyscalls } from "../../host/sys/syscalls.js";
import { cleanup, spawnShell } from "../util.js";

const NOT_OBJECTS = [null, 0, "reap", true];
const WRONG_TYPE = { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /^The "options" argument must be of type object\. Received / };

describe("options that are not objects", () => {
  it("PidFd.open and sendSignal", () => {
    using self = PidFd.self();
    for (const options of NOT_OBJECTS) {
      assert.throws(() => PidFd.open(process.pid, options as never), WRONG_TYPE, String(options));
      assert.throws(() => self.sendSignal(0, options as never), WRONG_TYPE, String(options));
    }
    self.sendSignal(0, undefined);
  });

  it("waitAsync and terminate reject, signalling nothing", async () => {
    const child = await spawnShell("exec sleep 30");
    try {
      using pidfd = PidFd.fromChild(child);
      for (const options of NOT_OBJECTS) {
        await assert.rejects(pidfd.waitAsync(options as never), WRONG_TYPE, String(options));
        await assert.rejects(pidfd.terminate(options as never), WRONG_TYPE, String(options));
      }
      assert.deepEqual([child.exitCode, child.signalCode], [null, null]);
      assert.ok(pidfd.isAlive());
    } finally {
      await cleanup(child);
    }
  });

  it("spawn, loadCore, traceSyscalls, SimulatedKernel and its spawn", () => {
    const kernel = new SimulatedKernel({ level: "6.18" });
    for (const options of NOT_OBJECTS) {
      assert.throws(() => spawn("true", [], options as never), WRONG_TYPE, String(options));
      assert.throws(() => loadCore(noSyscalls, options as never), WRONG_TYPE, String(options));
      assert.throws(() => traceSyscalls(noSyscalls, options as never), WRONG_TYPE, String(options));
      assert.throws(() => new SimulatedKernel(options as never), WRONG_TYPE, String(options));
      assert.throws(() => kernel.spawn(options as never), WRONG_TYPE, String(options));
    }
  });
});
