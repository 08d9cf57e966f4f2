// pidfd kill [-s <signal>] [-q <value>] [--timeout <ms> <signal>]... [--wait] [--tree] [--verbose]
// [--pidfile <file>]... <pid>...: signals through pidfds, with util-linux kill(1)'s options; kill
// -l and -L list the signals.
import { PidFdError } from "../errors.js";
import type { PidFd } from "../pidfd.js";
import { signalNumber } from "../signals.js";
import { DURATION_MAX_MS, noMoreThan, parseDuration, parseOptions, parseTargets, PIDFILE_OPTION, type ProcessName } from "./args.js";
import { CliError, combinedExitCode, EXIT, reportError, UsageError, type Command } from "./command.js";
import { printHelp, stdoutIsTerminal, writeOut } from "./output.js";
import { convertSignal, parseSignal, signalList, signalTable } from "./signals.js";
import { nameOf, openProcess, stableName } from "./target.js";
import { waitAtMost } from "./waiting.js";

const help = `Usage: pidfd kill [-s <signal> | -<signal>] [-q <value>] [--timeout <ms> <signal>]...
                  [--wait] [--tree] [--verbose] [--pidfile <file>]... <pid|pid:id|self>...
       pidfd kill -l [<signal> | <exit status> | 0x<mask>]
       pidfd kill -L

Sends a signal (default SIGTERM) to each process through a pidfd opened first, so the
signal cannot reach another process that reused the pid. With <pid>:<id> (the form
"pidfd info" prints) a pid that now names another process is refused.

Options:
  -s, --signal <signal>     the signal: a name (TERM, SIGTERM, term), a real-time
                            signal (RTMIN, RTMIN+<n>, RTMAX-<n>, RTMAX) or a number
                            (15); -<signal> (-9, -KILL, -RTMIN+1) is the same
  --timeout <ms> <signal>   if the process still runs <ms> milliseconds later (a plain
                            number, or 500ms, 2s, 1m), send <signal>; takes exactly
                            these two values, the processes follow; may be repeated,
                            each step waiting after the previous signal (as util-linux kill)
  --wait                    wait until each process has exited
  --tree                    signal each process and all its descendants, each through
                            its own pidfd: the tree is stopped first (SIGSTOP, top
                            down) so that it cannot grow, then signalled and continued;
                            with --timeout (at most one), the survivors and what they
                            forked meanwhile get its signal; --verbose names each one
  --verbose                 print "sending signal <n> to pid <pid>:<id>" for every
                            signal sent ("timeout, sending ..." for --timeout's)
  --pidfile <file>          also the process a pidfile names (as "pidfd run --pidfile"
                            writes it: refused once its pid names another process, or
                            after a reboot); may be repeated
  -q, --queue <value>       send the signal as sigqueue(3) does, with the integer <value>
                            (-2147483648..2147483647) that a handler reads in si_value
                            (si_code SI_QUEUE); the follow-up signals carry none, and
                            --tree cannot be combined with it
  -l, --list [<arg>]        list the signal names; with <arg>, print the name of a
                            signal number (or of an exit status 128+n, e.g. $?), the
                            number of a name, or the names in a mask 0x<hex> (as in
                            /proc/<pid>/status)
  -L, --table               list the signal numbers and names
  -h, --help                show this help

Exit status: 0 all signalled; 1 failed; 2 not supported; 64 some signalled, some
failed; 125 usage error.`;

/** A follow-up of `--timeout <ms> <signal>`. */
interface FollowUp {
  ms: number;
  signal: number;
  /** The two values as typed, for error messages. */
  text: string;
}

const SHORT_OPTIONS = new Set(["-s", "-h", "-q", "-l", "-L"]);

export const kill: Command = {
  name: "kill",
  summary: "send a signal through a pidfd, with follow-up signals (--timeout)",
  help,
  async run(args) {
    const { rest, followUps, signalFlag, list } = extractKillSyntax(args);
    const { values, positionals } = parseOptions(rest, {
      signal: { type: "string", short: "s" },
      wait: { type: "boolean" },
      tree: { type: "boolean" },
      verbose: { type: "boolean" },
      queue: { type: "string", short: "q" },
      table: { type: "boolean", short: "L" },
      ...PIDFILE_OPTION,
    });
    if (values.help) return printHelp(help);
    if (list || values.table) {
      noMoreThan(positionals, 0);
      const terminal = stdoutIsTerminal();
      writeOut(list?.operand !== undefined ? convertSignal(list.operand)
        : list ? signalList(terminal) : signalTable(terminal ? process.stdout.columns : null));
      return 0;
    }
    const value = values.queue === undefined ? undefined : parseSigval(values.queue as string);
    if (signalFlag !== null && values.signal !== undefined) throw new UsageError("more than one signal given");
    const signal = parseSignal((values.signal as string | undefined) ?? signalFlag ?? "TERM");
    const last = followUps.at(-1);
    if (positionals.length === 0 && last && values.pidfile === undefined) {
      throw new UsageError(`no process given ('--timeout ${last.text}' takes two values, <ms> <signal>; the processes come after them)`);
    }
    const names = parseTargets(positionals, values.pidfile);
    const report = values.verbose === true ? reportSent : undefined;
    if (values.tree === true) {
      if (followUps.length > 1) throw new UsageError("option '--tree' takes at most one '--timeout <ms> <signal>'");
      if (value !== undefined) throw new UsageError("options '--tree' and '--queue' cannot be combined: a tree's signals carry no value");
      return await killTrees(names, signal, followUps[0], values.wait === true, values.verbose === true);
    }

    const failures: unknown[] = [];
    const signalled: [ProcessName, PidFd][] = [];
    for (const name of names) {
      let pidfd: PidFd | undefined;
      try {
        pidfd = openProcess(name);
        pidfd.sendSignal(signal, value === undefined ? undefined : { value });
        report?.("sending", signal, pidfd, name);
        signalled.push([name, pidfd]);
      } catch (error) {
        pidfd?.close();
        reportError(`kill ${name.text}`, error);
        failures.push(error);
      }
    }
    await Promise.all(signalled.map(async ([name, pidfd]) => {
      try {
        await followUp(pidfd, name, followUps, values.wait === true, report);
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
 * kill --tree: each named process's tree, signalled (PidFd.signalTree()), or with --wait or a
 * --timeout stopped (PidFd.killTree(): waits for every member, then the follow-up signal).
 */
async function killTrees(names: readonly ProcessName[], signal: number, step: FollowUp | undefined, wait: boolean, verbose: boolean): Promise<number> {
  const failures: unknown[] = [];
  await Promise.all(names.map(async (name) => {
    try {
      using pidfd = openProcess(name);
      const members = step === undefined && !wait ? pidfd.signalTree(signal)
        : await pidfd.killTree({ signal, timeout: step?.ms ?? DURATION_MAX_MS, escalate: step?.signal ?? null });
      if (verbose) {
        for (const member of members) {
          member.signals.forEach((sent, i) => writeOut(
            `${i === 0 ? "sending" : "timeout, sending"} signal ${typeof sent === "number" ? sent : signalNumber(sent)} to pid ${stableName(member.pid, member.id)}\n`));
        }
      }
      const left = members.filter((member) => (step !== undefined || wait) && !member.exited);
      if (left.length > 0) throw new CliError(EXIT.failure, `${left.length} of its ${members.length} processes still run: ${left.map((m) => m.pid).join(" ")}`);
    } catch (error) {
      reportError(`kill --tree ${name.text}`, error);
      failures.push(error);
    }
  }));
  return combinedExitCode(failures, names.length);
}

type Report = (what: "sending" | "timeout, sending", signal: number, pidfd: PidFd, name: ProcessName) => void;

/** --verbose: util-linux kill's line, with the name that keeps naming the process (<pid>:<id>). */
function reportSent(what: "sending" | "timeout, sending", signal: number, pidfd: PidFd, name: ProcessName): void {
  writeOut(`${what} signal ${signal} to pid ${nameOf(pidfd, name.pid)}\n`);
}

/**
 * Sends each follow-up signal if the process has not exited within its time, then (with
 * `wait`) waits for the exit. A process that exits meanwhile ends the sequence.
 */
async function followUp(pidfd: PidFd, name: ProcessName, steps: readonly FollowUp[], wait: boolean, report: Report | undefined): Promise<void> {
  for (const step of steps) {
    if ((await waitAtMost(pidfd, step.ms)).exited) return;
    try {
      pidfd.sendSignal(step.signal);
    } catch (error) {
      if (error instanceof PidFdError && error.code === "ESRCH") return;
      throw error;
    }
    report?.("timeout, sending", step.signal, pidfd, name);
  }
  if (wait) await pidfd.waitAsync();
}

/** The <value> of -q: a decimal int32, as util-linux kill reads it (strtos32_or_err). */
function parseSigval(text: string): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new UsageError(`invalid sigval argument '${text}': an integer from -2147483648 to 2147483647`);
  }
  return value;
}

/** What the options parseArgs cannot express gave: see extractKillSyntax. */
interface KillSyntax {
  /** The other arguments, for parseOptions. */
  rest: string[];
  followUps: FollowUp[];
  /** The <signal> of -<signal>. */
  signalFlag: string | null;
  /** -l/--list, with its optional operand. */
  list: { operand: string | undefined } | null;
}

/**
 * Takes out what parseArgs cannot express: `--timeout <ms> <signal>` (exactly two values), the
 * `-<signal>` shorthand (-9, -KILL, -SIGKILL, -RTMIN+1), and `-l [<arg>]`, whose operand is
 * optional and must be the last argument. Stops at "--".
 */
function extractKillSyntax(args: readonly string[]): KillSyntax {
  const rest: string[] = [];
  const followUps: FollowUp[] = [];
  let signalFlag: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === "-l" || arg === "--list" || arg.startsWith("--list=")) {
      const operands = arg.startsWith("--list=") ? [arg.slice("--list=".length), ...args.slice(i + 1)] : args.slice(i + 1);
      if (operands.length > 1) throw new UsageError(`too many arguments after '-l': it takes at most one (got '${operands.join(" ")}')`);
      return { rest, followUps, signalFlag, list: { operand: operands[0] } };
    }
    if (arg === "--timeout" || arg.startsWith("--timeout=")) {
      const inline = arg.startsWith("--timeout=") ? [arg.slice("--timeout=".length)] : [];
      const [ms, signal] = [...inline, ...args.slice(i + 1, i + 3 - inline.length)];
      if (ms === undefined || signal === undefined) throw new UsageError("option '--timeout' needs two values, <ms> <signal>");
      i += 2 - inline.length;
      followUps.push({ ms: parseDuration(ms, "ms", "timeout"), signal: parseSignal(signal), text: `${ms} ${signal}` });
      continue;
    }
    if (arg === "-s" || arg === "--signal" || arg === "-q" || arg === "--queue") {
      rest.push(arg, ...args.slice(i + 1, i + 2));
      i++;
      continue;
    }
    if (/^-(\d+|[A-Za-z][A-Za-z0-9+-]*)$/.test(arg) && !SHORT_OPTIONS.has(arg)) {
      if (signalFlag !== null) throw new UsageError("more than one signal given");
      parseSignal(arg.slice(1));
      signalFlag = arg.slice(1);
      continue;
    }
    rest.push(arg);
  }
  return { rest, followUps, signalFlag, list: null };
}
