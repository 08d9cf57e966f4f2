// pidfd run forwards signals from before the command starts: a SIGINT, SIGTERM or SIGHUP that
// reaches it while spawn() is still starting the command is passed on to the command, never
// kills pidfd run itself, and never leaves the command behind. getfd --exec runs its command
// the same way.
import assert from "node:assert/strict";
import os from "node:os";
import type { PidFd } from "../../host/index.js";
import { cleanup, exitOf } from "../util.js";
import { openUnlessGone, startPidfd, tally } from "./run_cli.js";

const TRIES = 100;
/** getfd --exec runs its command through the same code as run: fewer tries suffice. */
const GETFD_TRIES = 50;
/** What signalledAtStart() resolves with when pidfd run forwarded `signal` and reaped the command. */
const forwarded = (signal: NodeJS.Signals): string => `exit ${128 + os.constants.signals[signal]}, command gone`;

/**
 * Runs `pidfd ...args sh -c 'echo $$; kill -<signal> $PPID; exec sleep 30'`: the command's
 * first act is to signal pidfd run, often while pidfd run is still inside spawn(). Resolves
 * with what happened, as one line: "exit 143, command gone" when pidfd run forwarded SIGTERM,
 * the command died of it and was reaped; "killed by SIGTERM, command left running" when the
 * signal killed pidfd run instead. A command left running is killed before it resolves.
 */
async function signalledAtStart(args: readonly string[], signal: NodeJS.Signals): Promise<string> {
  const cli = await startPidfd(...args, "sh", "-c", `echo $$; kill -${signal.slice(3)} $PPID; exec sleep 30`);
  let command: PidFd | undefined;
  try {
    const [pid] = await cli.lines(1);
    command = openUnlessGone(Number(pid));
    const [code, killedBy] = await exitOf(cli.process);
    const leftBehind = command?.isAlive() === true;
    if (leftBehind) command!.kill();
    const { stderr } = await cli.result;
    return [killedBy ? `killed by ${killedBy}` : `exit ${code}`, leftBehind ? "command left running" : "command gone",
      ...(stderr ? [`stderr ${JSON.stringify(stderr)}`] : [])].join(", ");
  } finally {
    if (command?.isAlive()) command.kill();
    command?.close();
    await cleanup(cli.process);
  }
}

describe("pidfd run (cli): a signal as the command starts", function () {
  // Each test starts the CLI a hundred times: on a loaded machine that takes far longer than
  // mocha's default timeout, which here only guards against a hang.
  this.timeout(120_000);

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`run, sent ${signal} by the command as its first act (${TRIES} times): exits 128+n, the command gone`, async () => {
      const counts = await tally(TRIES, () => signalledAtStart(["run", "--"], signal));
      assert.deepEqual(counts, { [forwarded(signal)]: TRIES });
    });
  }

  it(`getfd --exec, sent SIGTERM by the command as its first act (${GETFD_TRIES} times): exits 143, the command gone`, async () => {
    const counts = await tally(GETFD_TRIES, () => signalledAtStart(["getfd", "self", "1", "--exec", "--"], "SIGTERM"));
    assert.deepEqual(counts, { [forwarded("SIGTERM")]: GETFD_TRIES });
  });
});
