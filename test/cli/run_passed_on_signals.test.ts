// pidfd run catches the signals timeout(1) catches: SIGINT, SIGTERM, SIGHUP (run.test.ts),
// SIGQUIT, and the --signal; it passes them on to the command. SIGALRM, timeout(1)'s own timer
// signal, makes the timeout expire at once.
import assert from "node:assert/strict";
import os from "node:os";
import { signalRun } from "./run_cli.js";

describe("pidfd run (cli): the signals passed on, and SIGALRM", () => {
  it("SIGQUIT reaches the command: it dies of it, exit 131", async () => {
    const { pid, ...result } = await signalRun([], "exec sleep 30", "SIGQUIT");
    assert.deepEqual(result, { code: 128 + os.constants.signals.SIGQUIT, stdout: `${pid}\n`, stderr: "" });
  });

  it("the --signal (here SIGUSR1, which Node would otherwise take for its inspector) reaches the command", async () => {
    const script = "trap 'kill $!; wait $! 2>/dev/null; exit 5' USR1; sleep 30 & echo trapped; wait";
    const { pid, ...result } = await signalRun(["-s", "USR1"], script, "SIGUSR1", 2);
    assert.deepEqual(result, { code: 5, stdout: `${pid}\ntrapped\n`, stderr: "" });
  });

  it("SIGALRM: the timeout expires now, with or without --timeout: the timeout signal is sent, exit 124", async () => {
    const [without, preserved] = await Promise.all([
      signalRun([], "exec sleep 30", "SIGALRM"),
      signalRun(["--timeout", "1h", "-s", "INT", "--preserve-status"], "exec sleep 30", "SIGALRM"),
    ]);
    assert.deepEqual(without, { code: 124, stdout: `${without.pid}\n`, stderr: "", pid: without.pid });
    assert.deepEqual(preserved, { code: 128 + os.constants.signals.SIGINT, stdout: `${preserved.pid}\n`, stderr: "", pid: preserved.pid },
      "--preserve-status shows which signal the command got: the timeout's");
  });
});
