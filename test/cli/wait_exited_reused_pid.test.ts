// pidfd wait --exited skips a <pid>:<id> whose process has gone and whose pid names another
// process now, as it skips a pid that names none: that process has exited. Without --exited
// either is an error, and nothing is waited for.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { receivedNoSignal, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

describe("pidfd wait --exited (cli): a <pid>:<id> that names another process now", () => {
  const children = childrenOfEachTest();

  it("is skipped with --exited (exit 0), an error without (exit 1); the process holding the pid is left alone", async () => {
    const holder = await children.sleeping();
    await stopChild(holder);
    using own = PidFd.open(holder.pid);
    const id = own.getId();
    const gone = `${holder.pid}:${id + 1n}`;
    const [lenient, strict] = await Promise.all([pidfd("wait", "--exited", gone), pidfd("wait", gone)]);
    assert.deepEqual(lenient, { code: 0, stdout: "", stderr: "" });
    assert.deepEqual(strict, {
      code: 1,
      stdout: "",
      stderr: `pidfd: wait ${gone}: No such process: pid ${holder.pid} now names another process (id ${id})\n`,
    });
    assert.ok(receivedNoSignal(holder));
  });
});
