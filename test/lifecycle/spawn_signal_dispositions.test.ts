// The child starts with no signal ignored and none blocked: Node's ignored SIGPIPE and SIGXFSZ are
// reset, and so are glibc's internal signals 32 and 33, which its posix_spawn would leave ignored.
import assert from "node:assert/strict";
import { spawn } from "../../host/index.js";
import { outputOf } from "./helpers.js";

describe("the signal dispositions of a spawned child", () => {
  it("SigIgn and SigBlk are empty, signals 32 and 33 included", async () => {
    const { out } = await outputOf(spawn("grep", ["-E", "^Sig(Ign|Blk)", "/proc/self/status"], { stdio: ["ignore", "pipe", "inherit"] }));
    const mask = (name: string): bigint => BigInt(`0x${out.split("\n").find((line) => line.startsWith(name))!.split(/\s+/)[1]}`);
    assert.equal(mask("SigIgn"), 0n, `SigIgn ${mask("SigIgn").toString(16)}`);
    assert.equal(mask("SigBlk"), 0n);
  });
});
