// pidfd wait prints nothing by default, as util-linux waitpid(1): its exit status says it all.
// --verbose prints each exit, and on stderr what --exited skipped and an expired timeout.
import assert from "node:assert/strict";
import { exitOf, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd, startPidfd, unusedPid, untilHolding } from "./run_cli.js";

describe("pidfd wait (cli): silent unless --verbose", () => {
  const children = childrenOfEachTest();

  it("without --verbose: nothing on stdout or stderr once the process has exited, exit 0", async () => {
    const target = await children.sleeping();
    const cli = await startPidfd("wait", String(target.pid));
    await untilHolding(cli, target.pid);
    target.kill("SIGTERM");
    await exitOf(target);
    assert.deepEqual(await cli.result, { code: 0, stdout: "", stderr: "" });
  });

  it("-v: '<pid>: <status>' for each exit; the skipped process and the expired timeout on stderr", async () => {
    const running = await children.sleeping();
    await stopChild(running);
    const missing = unusedPid();
    const result = await pidfd("wait", "-v", "-e", "-t", "100ms", String(missing), String(running.pid));
    assert.deepEqual(result, {
      code: 3,
      stdout: "",
      stderr: `pidfd: wait ${missing}: has exited already, skipped\npidfd: wait: timeout expired\n`,
    });
  });
});
