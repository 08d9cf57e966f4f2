// pidfd run forwards signals from before the command starts: a SIGINT, SIGTERM or SIGHUP that
// reaches it while spawn() is still starting the command is passed on to the command, never
// kills pidfd run itself, and never leaves the command behind. getfd --exec runs its command
// the same way.
import assert from "node:assert/strict";
import os from "node:os";
import { PidFd, PidFdError } from "../../host/index.js";
import { cleanup, exitOf } from "../util.js";
import { startPidfd } from "./run_cli.js";

const TRIES = 100;
/** getfd --exec runs its command through the same code as run: fewer tries suffice. */
const GETFD_TRIES = 50;
const AT_ONCE = 4;
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

/**
 * A pidfd on the command, or undefined when it has already exited and been reaped (ESRCH). The
 * command printed `pid` a moment ago: only a wrap of pid_max could give it to another process.
 */
function openUnlessGone(pid: number): PidFd | undefined {
  try {
    return PidFd.open(pid);
  } catch (error) {
    if (error instanceof PidFdError && error.code === "ESRCH") return undefined;
    throw error;
  }
}

/**
 * Runs `attempt` `tries` times, `AT_ONCE` at a time; resolves, once every attempt has ended,
 * with how often each outcome came (an attempt that throws counts as "failed: <message>").
 */
async function tally(tries: number, attempt: () => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < tries) {
      started++;
      const outcome = await attempt().catch((error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  return counts;
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
