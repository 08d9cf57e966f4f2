// pidfd run --kill-tree: the timeout's signal reaches the command's descendants too, and pidfd run,
// a child subreaper then, reaps every member, a daemon that left the command's session too.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { sessionMembers } from "../trees/helpers.js";
import { pidfd, startPidfd } from "./run_cli.js";

describe("pidfd run --kill-tree (cli)", () => {
  it("run --kill-tree --timeout: the timeout's signal reaches the command's descendants too", async () => {
    const script = "sh -c 'exec sleep infinity' & sh -c 'exec sleep infinity' & echo $$; wait";
    const { code, stdout, stderr } = await pidfd("run", "--kill-tree", "--timeout", "50ms", "--", "sh", "-c", script);
    assert.equal(code, 124, stderr);
    const session = Number(stdout.trim());
    assert.deepEqual(sessionMembers(session, true), [], "no member of the command's session is left, not even a zombie");
  });

  it("run --kill-tree: a daemonised descendant (setsid, orphaned) gets the passed-on SIGTERM and is reaped", async () => {
    // The subshell has exited when "ready" is printed: the daemon is pidfd run's child by then. The
    // daemon lets go of the output pipe, as a daemon does, so that pidfd run's end is seen.
    const script = "(setsid sh -c 'echo $$; exec sleep infinity >/dev/null 2>&1' &); echo ready; exec sleep infinity";
    const cli = await startPidfd("run", "--kill-tree", "--", "sh", "-c", script);
    const lines = await cli.lines(2);
    const daemonPid = Number(lines.find((line) => line !== "ready"));
    const daemon = PidFd.open(daemonPid);
    try {
      cli.process.kill("SIGTERM");
      const { code, stderr } = await cli.result;
      assert.equal(code, 143, stderr);
      // The bound only cuts short a failure: a daemon left out of the tree would sleep for ever.
      assert.equal((await daemon.waitAsync({ timeout: 5000 }))?.signal, "SIGTERM", "the daemon got the tree's SIGTERM");
      assert.equal(daemon.isAlive(), false);
    } finally {
      if (daemon.isAlive()) daemon.kill();
      daemon.close();
    }
  });
});
