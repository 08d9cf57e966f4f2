// pidfd wait <pid>... [--timeout <duration>] [--exited | --count <n>] [--verbose] [--json]: waits
// for processes that need not be our children, with util-linux waitpid(1)'s options and exit codes.
import { setMaxListeners } from "node:events";
import type { ExitStatus } from "../exit_status.js";
import type { PidFd } from "../pidfd.js";
import { parseDuration, parseInteger, parseOptions, parseTargets, PIDFILE_OPTION, type ProcessName } from "./args.js";
import { EXIT, exitCodeOf, reportError, UsageError, type Command } from "./command.js";
import { printHelp, printJson, writeErr, writeOut } from "./output.js";
import { isGone, openProcess } from "./target.js";

const help = `Usage: pidfd wait [--timeout <duration>] [--exited | --count <n>] [--verbose] [--json]
                  [--pidfile <file>]... <pid|pid:id>...

Waits until the processes have exited; they need not be children of pidfd. Prints
nothing (as waitpid(1)) unless asked to: with --verbose, each exit status as the
kernel gives it to others than the parent (Linux 6.15+, once the parent has reaped
the process), else "exited": before Linux 6.15, or for a zombie that its parent
leaves unreaped for more than a second.

Options:
  -t, --timeout <duration>  give up after <duration> (500ms, 2s, 1m; a plain number
                            is seconds, as in waitpid(1)) with exit status 3; 0: never
  -e, --exited              a process that has already exited (or whose <pid>:<id>
                            names another process now) is not an error: it is skipped
  -c, --count <n>           return after <n> of the processes have exited
  -v, --verbose             print "<pid>: <exit status>" for each process as it exits;
                            on stderr, the processes --exited skips and an expired timeout
  --json                    print one JSON object per process as it exits instead:
                            {"pid", "name", "status": {...} | null}
  --pidfile <file>          also the process a pidfile names (as "pidfd run --pidfile"
                            writes it; one whose pid names another process now, or
                            of another boot, has exited); may be repeated
  -h, --help                show this help

Exit status: 0 done; 1 failed; 2 not supported; 3 timeout expired; 125 usage error.`;

/** What `pidfd wait` prints: each exit (as text or JSON, or not), and with --verbose the notes on stderr. */
interface Output {
  exits: "none" | "text" | "json";
  notes: boolean;
}

export const wait: Command = {
  name: "wait",
  summary: "wait for processes that need not be children (like waitpid(1))",
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      timeout: { type: "string", short: "t" },
      exited: { type: "boolean", short: "e" },
      count: { type: "string", short: "c" },
      verbose: { type: "boolean", short: "v" },
      json: { type: "boolean" },
      ...PIDFILE_OPTION,
    });
    if (values.help) return printHelp(help);
    const names = parseTargets(positionals, values.pidfile);
    // 0: no timeout, as in waitpid(1) (which sets no timer then) and `pidfd run --timeout 0`.
    const timeout = values.timeout === undefined ? null : parseDuration(values.timeout as string, "s", "timeout") || null;
    if (values.count !== undefined && values.exited) throw new UsageError("--count and --exited exclude each other");
    const count = values.count === undefined ? names.length : parseInteger(values.count as string, "count", 1, names.length);
    const itself = names.find((name) => name.pid === process.pid);
    if (itself) throw new UsageError(`cannot wait for itself ('${itself.text}')`);
    const output: Output = { exits: values.json ? "json" : values.verbose ? "text" : "none", notes: values.verbose === true };

    const opened: [ProcessName, PidFd][] = [];
    try {
      for (const name of names) {
        try {
          opened.push([name, openProcess(name)]);
        } catch (error) {
          if (!(values.exited && isGone(error))) {
            reportError(`wait ${name.text}`, error);
            return exitCodeOf(error);
          }
          if (output.notes) writeErr(`pidfd: wait ${name.text}: has exited already, skipped\n`);
        }
      }
      return await waitForCount(opened, Math.min(count, opened.length), timeout, output);
    } finally {
      for (const [, pidfd] of opened) pidfd.close();
    }
  },
};

/** Waits until `count` of the processes have exited, printing each as `output` says; exit code 3 on timeout. */
async function waitForCount(opened: [ProcessName, PidFd][], count: number, timeout: number | null, output: Output): Promise<number> {
  if (count === 0) return EXIT.ok;
  const stop = new AbortController();
  setMaxListeners(opened.length + 1, stop.signal); // a listener per wait, and ours: no leak warning for eleven processes
  const timer = timeout === null ? undefined : setTimeout(() => stop.abort(), timeout);
  let exited = 0;
  let failure: number | null = null;
  const done = new Promise<void>((resolve) => {
    for (const [name, pidfd] of opened) {
      pidfd.waitAsync({ signal: stop.signal }).then(
        (status) => {
          if (stop.signal.aborted) return;
          printExit(name, status, output);
          if (++exited === count) resolve();
        },
        (error: unknown) => {
          if (stop.signal.aborted) return;
          reportError(`wait ${name.text}`, error);
          failure ??= exitCodeOf(error);
          resolve();
        },
      );
    }
    stop.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await done;
  const timedOut = stop.signal.aborted;
  clearTimeout(timer);
  stop.abort();
  if (failure !== null) return failure;
  if (!timedOut) return EXIT.ok;
  if (output.notes) writeErr("pidfd: wait: timeout expired\n");
  return EXIT.timeout;
}

function printExit(name: ProcessName, status: ExitStatus | null, output: Output): void {
  if (output.exits === "json") printJson({ pid: name.pid, name: name.text, status: status?.toJSON() ?? null });
  else if (output.exits === "text") writeOut(`${name.text}: ${status === null ? "exited" : String(status)}\n`);
}
