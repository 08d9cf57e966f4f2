// pidfd wait on many processes at once (more than the ten listeners Node allows an AbortSignal
// before it warns of a leak): each exit is printed, stderr stays empty.
import assert from "node:assert/strict";
import { cleanup, exitOf } from "../util.js";
import { childrenOfEachTest, startPidfd, untilHolding } from "./run_cli.js";

const COUNT = 16;

describe("pidfd wait (cli): many processes", () => {
  const children = childrenOfEachTest();

  it(`${COUNT} processes: --verbose prints every exit, nothing on stderr (no MaxListenersExceededWarning)`, async () => {
    const targets = await Promise.all(Array.from({ length: COUNT }, () => children.sleeping()));
    const cli = await startPidfd("wait", "--verbose", "--timeout", "1h", ...targets.map((target) => String(target.pid)));
    try {
      for (const target of targets) await untilHolding(cli, target.pid);
      for (const target of targets) target.kill("SIGKILL");
      await Promise.all(targets.map(exitOf));
      const { code, stdout, stderr } = await cli.result;
      assert.equal(stderr, "");
      assert.equal(code, 0);
      assert.deepEqual(stdout.split("\n").filter(Boolean).map((line) => line.split(":")[0]).sort(), targets.map((t) => String(t.pid)).sort());
    } finally {
      await cleanup(cli.process);
    }
  });
});
