// examples/embed.mjs: the core embedded with plain WebAssembly and a hand-written import object.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

describe("examples/embed.mjs (no as-bind, no koffi)", () => {
  it("opens the fake kernel's process and reads its info through the result area", () => {
    const script = fileURLToPath(new URL("../../../examples/embed.mjs", import.meta.url));
    const output = execFileSync(process.execPath, [script], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(output), {
      fd: 3, mask: 7, pid: 4242, ppid: 1, euid: 1000, egid: 100, cgroupid: "7", pidAgain: 4242, openMissing: -3,
    });
  });
});
