// A signal that reaches pidfd run after its command has exited, before pidfd run itself exits,
// is ignored: pidfd run still exits with the command's status, never dies of the signal. (Its
// handlers stay installed once the command is gone; a removed one let a SIGTERM kill it.)
import assert from "node:assert/strict";
import type { PidFd } from "../../host/index.js";
import { cleanup, exitOf } from "../util.js";
import { openUnlessGone, startPidfd, tally } from "./run_cli.js";

const TRIES = 40;

/**
 * Runs `pidfd run -- sh -c 'echo $$; exit 5'`, waits until the command has exited (its pidfd
 * polls readable, or it is reaped already), then sends pidfd run `signal`: resolves with how
 * pidfd run ended, "exit 5" or "killed by SIGTERM".
 */
async function signalledAfterExit(signal: NodeJS.Signals): Promise<string> {
  const cli = await startPidfd("run", "--", "sh", "-c", "echo $$; exit 5");
  let command: PidFd | undefined;
  try {
    const [pid] = await cli.lines(1);
    command = openUnlessGone(Number(pid));
    await command?.waitAsync();
    cli.process.kill(signal); // Node has not reaped pidfd run yet (this thread does): the pid is still its
    const [code, killedBy] = await exitOf(cli.process);
    const { stderr } = await cli.result;
    return [killedBy ? `killed by ${killedBy}` : `exit ${code}`, ...(stderr ? [`stderr ${JSON.stringify(stderr)}`] : [])].join(", ");
  } finally {
    command?.close();
    await cleanup(cli.process);
  }
}

describe("pidfd run (cli): a signal after the command has exited", function () {
  // Each test starts the CLI forty times: slow on a loaded machine; the timeout only guards against a hang.
  this.timeout(120_000);

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`${signal} once the command has exited (${TRIES} times): exits with the command's status, 5`, async () => {
      assert.deepEqual(await tally(TRIES, () => signalledAfterExit(signal)), { "exit 5": TRIES });
    });
  }
});
