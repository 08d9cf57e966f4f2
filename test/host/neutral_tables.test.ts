// The tables that let errors.ts and signals.ts do without Node's APIs (host/errno_names.ts,
// SIGNALS) hold what Node's os.constants and util.getSystemErrorMap() hold on this machine.
import assert from "node:assert/strict";
import os from "node:os";
import util from "node:util";
import { errnoMessage, errnoName } from "../../host/errors.js";
import { ERRNO_TABLE } from "../../host/errno_names.js";
import { SIGNALS, signalName, signalNumber } from "../../host/signals.js";

describe("the runtime-neutral errno and signal tables", () => {
  it("SIGNALS is os.constants.signals, in the same order (the first name of a number is its name)", () => {
    assert.deepEqual(Object.entries(SIGNALS), Object.entries(os.constants.signals));
    for (const [name, value] of Object.entries(os.constants.signals)) {
      assert.equal(signalNumber(name), value, name);
      assert.equal(signalName(value), Object.keys(os.constants.signals).find((n) => os.constants.signals[n as keyof typeof os.constants.signals] === value));
    }
  });

  it("ERRNO_TABLE names every errno of os.constants.errno (EAGAIN, EDEADLK, ENOTSUP among aliases) and EREMOTE, with libuv's messages", () => {
    const preferred = new Map([[11, "EAGAIN"], [35, "EDEADLK"], [95, "ENOTSUP"]]);
    const expected = new Map<number, string>();
    for (const [name, value] of Object.entries(os.constants.errno)) if (!expected.has(value)) expected.set(value, name);
    for (const [value, name] of preferred) expected.set(value, name);
    // Three that Node lacks (include/uapi/asm-generic/errno.h), which the core passes on.
    for (const [value, name] of [[66, "EREMOTE"], [94, "ESOCKTNOSUPPORT"], [96, "EPFNOSUPPORT"]] as const) {
      assert.equal(expected.has(value), false, name);
      expected.set(value, name);
    }
    assert.deepEqual(new Map(ERRNO_TABLE.map(([errno, name]) => [errno, name])), new Map([...expected].sort(([a], [b]) => a - b)));
    const libuv = util.getSystemErrorMap();
    for (const [errno, name, message] of ERRNO_TABLE) {
      assert.equal(message, libuv.get(-errno)?.[1], name);
      assert.equal(errnoName(errno), name);
    }
    assert.equal(errnoMessage(3), "no such process");
    assert.equal(errnoMessage(10), "no child processes"); // libuv has no ECHILD
    assert.equal(errnoName(66), "EREMOTE"); // getPid() outside our pid namespace
    assert.equal(errnoMessage(66), "object is remote");
    assert.equal(errnoName(4000), "E4000");
    assert.equal(errnoMessage(4000), "unknown error 4000");
  });
});
