// pidfd kill sends real-time signals named as kill(1) names them: RTMIN, RTMIN+n, RTMAX-n, RTMAX
// (glibc's SIGRTMIN is 34: the kernel's 32 and 33 are glibc's own).
import assert from "node:assert/strict";
import { procStatus, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

/** The signals pending for the whole process (ShdPnd of /proc/<pid>/status), by number. */
function pendingSignals(pid: number): number[] {
  const mask = BigInt(`0x${procStatus(pid)!.get("ShdPnd")!}`);
  return Array.from({ length: 64 }, (_, bit) => bit + 1).filter((signal) => ((mask >> BigInt(signal - 1)) & 1n) === 1n);
}

describe("pidfd kill (cli): real-time signals", () => {
  const children = childrenOfEachTest();

  it("-s RTMIN, -s rtmin+1, -RTMAX-2, --signal SIGRTMAX and -s 40 reach a stopped process as signals 34, 35, 62, 64, 40", async () => {
    const target = await children.sleeping();
    await stopChild(target);
    for (const args of [["-s", "RTMIN"], ["-s", "rtmin+1"], ["-RTMAX-2"], ["--signal", "SIGRTMAX"], ["-s", "40"]]) {
      assert.deepEqual(await pidfd("kill", ...args, String(target.pid)), { code: 0, stdout: "", stderr: "" }, args.join(" "));
    }
    assert.deepEqual(pendingSignals(target.pid), [34, 35, 40, 62, 64]);
  });
});
