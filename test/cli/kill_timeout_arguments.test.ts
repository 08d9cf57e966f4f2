// pidfd kill --timeout <ms> <signal> takes exactly two values, as util-linux kill: the processes
// come after them, so in `--timeout 100 1 <pid>` the 1 is the follow-up signal (SIGHUP).
import assert from "node:assert/strict";
import { procStatus, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

describe("pidfd kill --timeout <ms> <signal> (cli): its two values", () => {
  const children = childrenOfEachTest();

  it("--timeout 100 1 <pid>: TERM at once, then signal 1 (HUP) to the process that still runs 100 ms later", async () => {
    const target = await children.sleeping();
    await stopChild(target); // a stopped process keeps both signals pending: exit cannot end the sequence
    assert.deepEqual(await pidfd("kill", "--timeout", "100", "1", String(target.pid)), { code: 0, stdout: "", stderr: "" });
    assert.equal(procStatus(target.pid)!.get("ShdPnd"), (1n << 14n | 1n << 0n).toString(16).padStart(16, "0"));
  });

  it("--timeout 100 1 with no process after it: a usage error that says which value was the signal", async () => {
    const { code, stdout, stderr } = await pidfd("kill", "--timeout", "100", "1");
    assert.deepEqual({ code, stdout }, { code: 125, stdout: "" });
    assert.equal(stderr, "pidfd: kill: no process given ('--timeout 100 1' takes two values, <ms> <signal>; "
      + "the processes come after them) (see 'pidfd kill --help')\n");
  });
});
