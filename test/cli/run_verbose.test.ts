// pidfd run --verbose says on stderr which signal it sends the command, as timeout --verbose:
// the timeout's, --kill-after's SIGKILL, and the signals it passes on.
import assert from "node:assert/strict";
import { pidfd, signalRun } from "./run_cli.js";

describe("pidfd run --verbose (cli)", () => {
  it("-v: 'sending signal TERM to command' at the timeout, then KILL from --kill-after", async () => {
    const [timedOut, killed] = await Promise.all([
      pidfd("run", "-v", "--timeout", "100ms", "sleep", "30"),
      pidfd("run", "--verbose", "--timeout", "100ms", "-k", "100ms", "-s", "WINCH", "sleep", "30"),
    ]);
    assert.deepEqual(timedOut, { code: 124, stdout: "", stderr: "pidfd: run: sending signal TERM to command 'sleep'\n" });
    assert.deepEqual(killed, {
      code: 137,
      stdout: "",
      stderr: "pidfd: run: sending signal WINCH to command 'sleep'\npidfd: run: sending signal KILL to command 'sleep'\n",
    });
  });

  it("-v: a signal passed on is said too", async () => {
    const { pid, ...result } = await signalRun(["-v"], "exec sleep 30", "SIGHUP");
    assert.deepEqual(result, { code: 129, stdout: `${pid}\n`, stderr: "pidfd: run: sending signal HUP to command 'sh'\n" });
  });
});
