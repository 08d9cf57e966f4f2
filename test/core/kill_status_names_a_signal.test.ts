// CLD_KILLED and CLD_DUMPED come with the signal that killed the process: a si_status whose low
// 7 bits are 0 or 0x7f names none, so it is refused, never read as "exited 0" or "stopped by 0"
// (as the wait status `si_status`, or `si_status | 0x80` for CLD_DUMPED, would read).
import assert from "node:assert/strict";
import { ARCH_CODES, loadCore } from "../../host/core.js";
import { decodeSiginfo, waitStatusFromChildCode } from "../../host/embed.js";
import { noSyscalls } from "../../host/sys/syscalls.js";
import { EINVAL } from "../../host/errno.js";
import { siginfo } from "../util.js";

const CLD_KILLED = 2, CLD_DUMPED = 3;
/** si_status values whose bits 0-6 are 0 or 0x7f. */
const NO_SIGNAL = [0, 0x7f, 0x80, 0xff, 0x100, 0x17f, 0x180, 0x7f00, 0x10000, -0x80];
const OUT_OF_RANGE = { name: "RangeError", code: "ERR_OUT_OF_RANGE" };


describe("a kill's si_status with no signal in bits 0-6", () => {
  for (const arch of Object.keys(ARCH_CODES)) {
    it(`${arch}: status_from_child_code refuses it (EINVAL) for CLD_KILLED and CLD_DUMPED`, () => {
      const core = loadCore(noSyscalls, { arch });
      for (const code of [CLD_KILLED, CLD_DUMPED]) {
        for (const status of NO_SIGNAL) {
          assert.equal(core.exports.status_from_child_code(code, status), -EINVAL, `si_code ${code}, si_status ${status}`);
        }
      }
    });
  }

  it("waitStatusFromChildCode and decodeSiginfo: a RangeError, not an exit or a stop", () => {
    for (const code of [CLD_KILLED, CLD_DUMPED]) {
      for (const status of NO_SIGNAL) {
        assert.throws(() => waitStatusFromChildCode(code, status), OUT_OF_RANGE, `si_code ${code}, si_status ${status}`);
        assert.throws(() => decodeSiginfo(siginfo(code, status)), OUT_OF_RANGE, `siginfo: si_code ${code}, si_status ${status}`);
      }
    }
  });

  it("the signals next to them still decode as kills", () => {
    assert.deepEqual(waitStatusFromChildCode(CLD_KILLED, 1).toJSON(),
      { raw: 1, kind: "signaled", code: null, signal: "SIGHUP", signalNumber: 1, coreDumped: false });
    assert.deepEqual(decodeSiginfo(siginfo(CLD_DUMPED, 64))?.toJSON(),
      { raw: 0xc0, kind: "signaled", code: null, signal: null, signalNumber: 64, coreDumped: true });
  });
});
