// pidfd kill [-s <signal>] <pid>... [--timeout <ms> <signal>]... [--wait]: signals through pidfds.
import { PidFdError, type PidFd } from "../index.js";
import { parseDuration, parseOptions, parseProcessNames, parseSignal, type ProcessName } from "./args.js";
import { combinedExitCode, reportError, UsageError, type Command } from "./command.js";
import { printHelp } from "./output.js";
import { openProcess } from "./target.js";
import { waitAtMost, waitForExit } from "./waiting.js";

const help = `Usage: pidfd kill [-s <signal> | -<signal>] [--timeout <ms> <signal>]... [--wait]
                  <pid|pid:id|self>...

Sends a signal (default SIGTERM) to each process through a pidfd opened first, so the
signal cannot reach another process that reused the pid. With <pid>:<id> (the form
"pidfd info" prints) a pid that now names another process is refused.

Options:
  -s, --signal <signal>     the signal: a name (TERM, SIGTERM, term) or a number (15);
                            -<signal> (-9, -KILL) is the same
  --timeout <ms> <signal>   if the process still runs <ms> milliseconds later (a plain
                            number, or 500ms, 2s, 1m), send <signal>; may be repeated,
                            each step waiting after the previous signal (as util-linux kill)
  --wait                    wait until each process has exited
  -h, --help                show this help

Exit status: 0 all signalled; 1 failed; 2 not supported; 64 some signalled, some
failed; 125 usage error.`;

/** A follow-up of `--timeout <ms> <signal>`. */
interface FollowUp {
  ms: number;
  signal: number;
}

const SHORT_OPTIONS = new Set(["-s", "-h"]);

export const kill: Command = {
  name: "kill",
  summary: "send a signal through a pidfd, with follow-up signals (--timeout)",
  help,
  async run(args) {
    const { rest, followUps, signalFlag } = extractKillSyntax(args);
    const { values, positionals } = parseOptions(rest, { signal: { type: "string", short: "s" }, wait: { type: "boolean" } });
    if (values.help) return printHelp(help);
    if (signalFlag !== null && values.signal !== undefined) throw new UsageError("more than one signal given");
    const signal = parseSignal((values.signal as string | undefined) ?? signalFlag ?? "TERM");
    const names = parseProcessNames(positionals);
    const wait = values.wait === true;

    const failures: unknown[] = [];
    const signalled: [ProcessName, PidFd][] = [];
    for (const name of names) {
      let pidfd: PidFd | undefined;
      try {
        pidfd = openProcess(name);
        pidfd.sendSignal(signal);
        signalled.push([name, pidfd]);
      } catch (error) {
        pidfd?.close();
        reportError(`kill ${name.text}`, error);
        failures.push(error);
      }
    }
    await Promise.all(signalled.map(async ([name, pidfd]) => {
      try {
        await followUp(pidfd, followUps, wait);
      } catch (error) {
        reportError(`kill ${name.text}`, error);
        failures.push(error);
      } finally {
        pidfd.close();
      }
    }));
    return combinedExitCode(failures, names.length);
  },
};

/**
 * Sends each follow-up signal if the process has not exited within its time, then (with
 * `wait`) waits for the exit. A process that exits meanwhile ends the sequence.
 */
async function followUp(pidfd: PidFd, steps: readonly FollowUp[], wait: boolean): Promise<void> {
  for (const step of steps) {
    if ((await waitAtMost(pidfd, step.ms)).exited) return;
    try {
      pidfd.sendSignal(step.signal);
    } catch (error) {
      if (error instanceof PidFdError && error.code === "ESRCH") return;
      throw error;
    }
  }
  if (wait) await waitForExit(pidfd);
}

/**
 * Takes out what parseArgs cannot express: `--timeout <ms> <signal>` pairs and the
 * `-<signal>` shorthand (-9, -KILL, -SIGKILL). Stops at "--".
 */
function extractKillSyntax(args: readonly string[]): { rest: string[]; followUps: FollowUp[]; signalFlag: string | null } {
  const rest: string[] = [];
  const followUps: FollowUp[] = [];
  let signalFlag: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === "--timeout" || arg.startsWith("--timeout=")) {
      const inline = arg.startsWith("--timeout=") ? arg.slice("--timeout=".length) : undefined;
      const ms = inline ?? args[++i];
      const signal = args[++i];
      if (ms === undefined || signal === undefined) throw new UsageError("option '--timeout' needs <ms> <signal>");
      followUps.push({ ms: parseDuration(ms, "ms", "timeout"), signal: parseSignal(signal) });
      continue;
    }
    if (arg === "-s" || arg === "--signal") {
      rest.push(arg, ...args.slice(i + 1, i + 2));
      i++;
      continue;
    }
    if (/^-(\d+|[A-Za-z][A-Za-z0-9]*)$/.test(arg) && !SHORT_OPTIONS.has(arg)) {
      if (signalFlag !== null) throw new UsageError("more than one signal given");
      parseSignal(arg.slice(1));
      signalFlag = arg.slice(1);
      continue;
    }
    rest.push(arg);
  }
  return { rest, followUps, signalFlag };
}

