// Wait statuses and (si_code, si_status) pairs that no process can have are RangeErrors
// (ERR_OUT_OF_RANGE), not statuses; the unusual ones a process can have still decode.
import assert from "node:assert/strict";
import { ExitStatus } from "../../host/index.js";
import { decodeSiginfo, waitStatusFromChildCode } from "../../host/embed.js";
import { siginfo } from "../util.js";

const OUT_OF_RANGE = { name: "RangeError", code: "ERR_OUT_OF_RANGE" };
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;
const SIGCONT = 18; // x86-64, asm-generic


describe("impossible statuses", () => {
  it("ExitStatus.fromRaw: stopped by signal 0, killed by 0 or 65+, bits above a kill, core flag on an exit", () => {
    const impossible: [number, string][] = [
      [0x7f, "stopped by signal 0"], [0x80, "killed by signal 0, core dumped"], [0x41, "killed by signal 65"],
      [0x7e, "killed by signal 126"], [0x109, "killed by SIGKILL with bits 8-15 set"], [0x180, "exited 1 with the core flag"],
      [0x417f, "stopped by signal 65"], [0xff7f, "stopped by signal 255"], [0xfffe, "killed by 126 with bits set"],
    ];
    for (const [raw, what] of impossible) assert.throws(() => ExitStatus.fromRaw(raw), OUT_OF_RANGE, what);
  });

  it("ExitStatus.fromRaw: the unusual statuses a process can have decode", () => {
    assert.equal(ExitStatus.fromRaw(0x40).toString(), "killed by signal 64");
    assert.equal(ExitStatus.fromRaw(0xc0).coreDumped, true);
    assert.equal(ExitStatus.fromRaw(0x407f).toString(), "stopped by signal 64");
    assert.equal(ExitStatus.fromRaw(0x857f).signalNumber, 0x85, "a ptrace syscall-stop (SIGTRAP | 0x80)");
    assert.equal(ExitStatus.fromRaw(0xff00).code, 255);
  });

  it("waitStatusFromChildCode and decodeSiginfo: a si_status its si_code never comes with", () => {
    const impossible: [number, number][] = [
      [CLD_EXITED, 256], [CLD_EXITED, -1], [CLD_KILLED, 0], [CLD_KILLED, 65], [CLD_DUMPED, 0], [CLD_DUMPED, 0x89],
      [CLD_STOPPED, 0], [CLD_STOPPED, 0x85], [CLD_TRAPPED, 0], [CLD_TRAPPED, 0x10005], [CLD_CONTINUED, 0], [CLD_CONTINUED, 9],
    ];
    for (const [code, status] of impossible) {
      assert.throws(() => waitStatusFromChildCode(code, status), OUT_OF_RANGE, `${code}/${status}`);
      assert.throws(() => decodeSiginfo(siginfo(code, status)), OUT_OF_RANGE, `siginfo ${code}/${status}`);
    }
  });

  it("waitStatusFromChildCode: the pairs a process can have", () => {
    assert.equal(waitStatusFromChildCode(CLD_EXITED, 255).code, 255);
    assert.equal(waitStatusFromChildCode(CLD_KILLED, 64).signalNumber, 64);
    assert.equal(waitStatusFromChildCode(CLD_DUMPED, 11).raw, 0x8b);
    assert.equal(waitStatusFromChildCode(CLD_STOPPED, 19).raw, 0x137f);
    assert.equal(waitStatusFromChildCode(CLD_TRAPPED, 5 | (4 << 8)).raw, 0x57f, "PTRACE_EVENT_EXEC: the event does not fit");
    assert.equal(waitStatusFromChildCode(CLD_TRAPPED, 0x85).raw, 0x857f, "a syscall-stop");
    assert.equal(waitStatusFromChildCode(CLD_CONTINUED, SIGCONT).kind, "continued");
  });
});
