// pidfd run [--timeout <duration>] [--kill-after <duration>] [--signal <sig>] -- <cmd> [args...]:
// runs a command with a pidfd, like coreutils timeout(1).
import { parseDuration, parseOptions, parseSignal, splitAtCommand, type OptionSpecs } from "./args.js";
import { UsageError, type Command } from "./command.js";
import { printHelp } from "./output.js";
import { requireWaiting } from "./waiting.js";

const help = `Usage: pidfd run [--timeout <duration>] [--kill-after <duration>] [--signal <signal>]
                 [--] <cmd> [args...]

Runs <cmd> with a pidfd held from the start, forwards SIGINT, SIGTERM and SIGHUP to
it, and exits with its exit status (128 + n when signal n killed it), like
timeout(1).

Options:
  --timeout <duration>     send the signal after <duration> (500ms, 2s, 1m; a plain
                           number is seconds; 0: no timeout); exit status 124
  --kill-after <duration>  send SIGKILL if the command still runs <duration> after
                           the timeout signal
  -s, --signal <signal>    the timeout signal (default SIGTERM)
  -h, --help               show this help

Exit status: the command's; 124 timed out; 125 pidfd run itself failed (usage
error); 126 the command cannot be executed; 127 not found; 128+n killed by signal n.
Needs spawn() from the lifecycle API: until then exit status 2.`;

const options: OptionSpecs = {
  timeout: { type: "string" },
  "kill-after": { type: "string" },
  signal: { type: "string", short: "s" },
};

/** What `pidfd run` was asked to do. */
export interface RunRequest {
  command: string[];
  timeoutMs: number;
  killAfterMs: number | null;
  signal: number;
}

export const run: Command = {
  name: "run",
  summary: "run a command with a pidfd, like timeout(1)",
  help,
  async run(args) {
    const [own, command] = splitAtCommand(args, options);
    const { values, positionals } = parseOptions(own, options);
    if (values.help) return printHelp(help);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (command.length === 0) throw new UsageError("no command given");
    const request: RunRequest = {
      command,
      timeoutMs: values.timeout === undefined ? 0 : parseDuration(values.timeout as string, "s", "timeout"),
      killAfterMs: values["kill-after"] === undefined ? null : parseDuration(values["kill-after"] as string, "s", "kill-after duration"),
      signal: parseSignal((values.signal as string | undefined) ?? "TERM"),
    };
    requireWaiting("running a command", "spawn() and PidFd.waitAsync");
    void request;
    return 0;
  },
};
