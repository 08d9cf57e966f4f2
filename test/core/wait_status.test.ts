// The core's wait-status decoding and siginfo translation, against the kernel's formulas.
import assert from "node:assert/strict";
import { ExitStatus } from "../../host/index.js";
import { decodeSiginfo, waitStatusFromChildCode } from "../../host/embed.js";

/** siginfo_t bytes as waitid fills them on a 64-bit little-endian machine. */
function siginfo(code: number, status: number, pid = 1234): Uint8Array {
  const bytes = new Uint8Array(128);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 17, true); // si_signo = SIGCHLD
  view.setInt32(8, code, true);
  view.setInt32(16, pid, true);
  view.setInt32(24, status, true);
  return bytes;
}

describe("wait status (core)", () => {
  const cases: [string, number, number, Partial<ExitStatus>][] = [
    ["exit 0", 1, 0, { raw: 0, kind: "exited", code: 0, signal: null, success: true }],
    ["exit 7", 1, 7, { raw: 7 << 8, kind: "exited", code: 7, success: false }],
    ["exit 255", 1, 255, { raw: 255 << 8, kind: "exited", code: 255 }],
    ["SIGTERM", 2, 15, { raw: 15, kind: "signaled", code: null, signal: "SIGTERM", signalNumber: 15, coreDumped: false }],
    ["SIGKILL", 2, 9, { raw: 9, kind: "signaled", signal: "SIGKILL", signalNumber: 9 }],
    ["SIGSEGV dumped", 3, 11, { raw: 0x8b, kind: "signaled", signal: "SIGSEGV", coreDumped: true }],
    ["stopped SIGSTOP", 5, 19, { raw: (19 << 8) | 0x7f, kind: "stopped", signal: "SIGSTOP", signalNumber: 19 }],
    ["trapped SIGTRAP", 4, 5, { raw: (5 << 8) | 0x7f, kind: "stopped", signal: "SIGTRAP" }],
    ["continued", 6, 18, { raw: 0xffff, kind: "continued", code: null, signal: null }],
    ["real-time signal", 2, 40, { raw: 40, kind: "signaled", signal: null, signalNumber: 40 }],
  ];
  for (const [name, code, status, expected] of cases) {
    it(`${name}: siginfo (si_code ${code}, si_status ${status})`, () => {
      const decoded = decodeSiginfo(siginfo(code, status));
      assert.ok(decoded);
      for (const [key, value] of Object.entries(expected)) {
        assert.equal(decoded[key as keyof ExitStatus], value, key);
      }
      assert.equal(waitStatusFromChildCode(code, status).raw, decoded.raw);
    });
  }

  it("an empty siginfo (WNOHANG, nothing ready) decodes to null", () => {
    assert.equal(decodeSiginfo(siginfo(0, 0, 0)), null);
  });

  it("rejects a short siginfo and an unknown si_code", () => {
    assert.throws(() => decodeSiginfo(new Uint8Array(64)), RangeError);
    assert.throws(() => decodeSiginfo(siginfo(9, 0)), RangeError);
  });

  it("decodes every wait status a process can have like the WIFEXITED family does, and refuses the others", () => {
    for (let raw = 0; raw <= 0xffff; raw++) {
      const low = raw & 0x7f;
      const stopSignal = raw >> 8;
      const possible = (raw & 0xff) === 0 || raw === 0xffff
        || ((raw & 0xff) === 0x7f && ((stopSignal >= 1 && stopSignal <= 64) || stopSignal === 0x85))
        || (raw <= 0xff && low >= 1 && low <= 64);
      if (!possible) {
        // No kernel produces it (x86-64: signals 1..64; 0x85 is a ptrace syscall-stop).
        assert.throws(() => ExitStatus.fromRaw(raw), { name: "RangeError", code: "ERR_OUT_OF_RANGE" }, `raw ${raw}`);
        continue;
      }
      const status = ExitStatus.fromRaw(raw);
      if (low === 0) {
        assert.equal(status.kind, "exited");
        assert.equal(status.code, (raw >> 8) & 0xff);
      } else if (raw === 0xffff) {
        assert.equal(status.kind, "continued");
      } else if ((raw & 0xff) === 0x7f) {
        assert.equal(status.kind, "stopped");
        assert.equal(status.signalNumber, (raw >> 8) & 0xff);
      } else {
        assert.equal(status.kind, "signaled", `raw ${raw}`);
        assert.equal(status.signalNumber, low);
        assert.equal(status.coreDumped, (raw & 0x80) !== 0);
      }
    }
  });

  it("rejects raw values outside 0..0xffff", () => {
    assert.throws(() => ExitStatus.fromRaw(-1), RangeError);
    assert.throws(() => ExitStatus.fromRaw(0x10000), RangeError);
    assert.throws(() => ExitStatus.fromRaw(1.5), RangeError);
  });

  it("prints like a shell would describe it", () => {
    assert.equal(ExitStatus.fromRaw(7 << 8).toString(), "exited with code 7");
    assert.equal(ExitStatus.fromRaw(0x89).toString(), "killed by SIGKILL (core dumped)");
    assert.equal(ExitStatus.fromRaw(9).shellCode, 137);
  });
});
