// pidfd run [--timeout <duration>] [--kill-after <duration>] [--signal <sig>] -- <cmd> [args...]:
// runs a command with a pidfd, like coreutils timeout(1). runCommand also serves getfd --exec.
import os from "node:os";
import { PidFdError, spawn, type ExitStatus, type SpawnOptions, type Subprocess } from "../index.js";
import { parseDuration, parseOptions, parseSignal, splitAtCommand, type OptionSpecs } from "./args.js";
import { CliError, EXIT, reasonOf, UsageError, type Command } from "./command.js";
import { printHelp } from "./output.js";

const help = `Usage: pidfd run [--timeout <duration>] [--kill-after <duration>] [--signal <signal>]
                 [--] <cmd> [args...]

Runs <cmd> with a pidfd held from the start, forwards SIGINT, SIGTERM and SIGHUP to
it (through the pidfd: to <cmd> only, not to its own children; armed before <cmd>
starts, so one that arrives while it starts reaches it too), and exits with its exit
status (128+n when signal n killed it), like timeout(1).

Options:
  --timeout <duration>     send the signal after <duration> (500ms, 2s, 1m; a plain
                           number is seconds; 0: no timeout); exit status 124
  --kill-after <duration>  send SIGKILL if the command still runs <duration> after
                           the first signal (the timeout's or a forwarded one)
  -s, --signal <signal>    the timeout signal (default SIGTERM)
  -h, --help               show this help

Exit status: the command's; 124 timed out; 125 usage error, or pidfd run itself
failed; 126 the command cannot be executed; 127 not found; 128+n killed by signal
n (also when a forwarded signal killed it); 137 killed by our SIGKILL (--kill-after,
or --signal KILL).`;

const options: OptionSpecs = {
  timeout: { type: "string" },
  "kill-after": { type: "string" },
  signal: { type: "string", short: "s" },
};

/** When `pidfd run` signals the command by itself. */
export interface RunLimits {
  /** Milliseconds until the timeout signal; 0: never. */
  timeoutMs: number;
  /** Milliseconds from the first signal sent until SIGKILL; 0: never. */
  killAfterMs: number;
  /** The timeout signal. */
  signal: number;
}

/** No timeout and no SIGKILL: the command runs until it exits (getfd --exec). */
export const NO_LIMITS: RunLimits = { timeoutMs: 0, killAfterMs: 0, signal: os.constants.signals.SIGTERM };

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
    const limits: RunLimits = {
      timeoutMs: values.timeout === undefined ? 0 : parseDuration(values.timeout as string, "s", "timeout"),
      killAfterMs: values["kill-after"] === undefined ? 0 : parseDuration(values["kill-after"] as string, "s", "kill-after duration"),
      signal: parseSignal((values.signal as string | undefined) ?? "TERM"),
    };
    return runCommand(command, limits);
  },
};

/** The signals `pidfd run` passes on to the command. */
const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const { SIGKILL } = os.constants.signals;
/** posix_spawnp errors that mean "found, but cannot be executed" (126, as execve failures in timeout(1)). */
const CANNOT_EXECUTE = new Set(["EACCES", "EPERM", "ENOEXEC", "ETXTBSY", "EISDIR", "ENOTDIR", "ELOOP", "ENAMETOOLONG", "E2BIG"]);

/**
 * Runs `command` (spawn(): posix_spawnp + pidfd_open) with `stdio`, forwards SIGINT, SIGTERM
 * and SIGHUP to it through its pidfd, applies `limits`, and resolves with the exit code of
 * timeout(1): the command's, 128+n when signal n killed it, 124 when the timeout fired, 137
 * when our SIGKILL killed it. A command that cannot be started is a CliError: 127 not found,
 * 126 cannot be executed, 125 any other failure.
 *
 * Forwarding is armed before the command starts (as timeout(1) installs its handlers before
 * fork), so a signal that arrives while the command is being started is caught, not fatal, and
 * reaches the command once it exists. If the command cannot be started, such a signal is
 * dropped and the start failure's code is the exit code.
 */
export async function runCommand(command: readonly string[], limits: RunLimits, stdio: SpawnOptions["stdio"] = "inherit"): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  const supervisor = new Supervisor(limits);
  try {
    const child = startCommand(file, args, stdio);
    supervisor.supervise(child);
    const status = await child.exited.catch((error: unknown) => {
      throw new CliError(EXIT.usage, `${file}: ${reasonOf(error)}`);
    });
    return supervisor.exitCode(status);
  } finally {
    supervisor.stop();
  }
}

/** spawn(); a command that cannot be started is a CliError with timeout(1)'s exit code. */
function startCommand(file: string, args: readonly string[], stdio: SpawnOptions["stdio"]): Subprocess {
  try {
    return spawn(file, args, { stdio });
  } catch (error) {
    if (!(error instanceof PidFdError && error.syscall === "posix_spawnp")) throw new CliError(EXIT.usage, `${file}: ${reasonOf(error)}`);
    if (error.code === "ENOENT") throw new CliError(EXIT.notFound, `${file}: command not found`);
    throw new CliError(CANNOT_EXECUTE.has(error.code) ? EXIT.cannotExecute : EXIT.usage, `${file}: ${reasonOf(error)}`);
  }
}

/**
 * Sends the command the signals it gets from us: forwarded ones, the timeout's, SIGKILL. It
 * forwards from its construction, before the command exists: a signal handled before
 * supervise() is kept and sent once the command has started. (spawn() is synchronous and the
 * handlers run on the event loop, so one that arrives during spawn() is handled after it has
 * returned, with the command known.)
 */
class Supervisor {
  readonly #limits: RunLimits;
  #child: Subprocess | undefined;
  readonly #early: number[] = [];
  readonly #forward = (name: NodeJS.Signals): void => {
    const signal = os.constants.signals[name];
    if (this.#child) this.#send(this.#child, signal);
    else this.#early.push(signal);
  };
  #timeoutTimer: NodeJS.Timeout | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  #timedOut = false;
  #sentKill = false;

  /** Starts forwarding SIGINT, SIGTERM and SIGHUP (process.on installs the handlers at once). */
  constructor(limits: RunLimits) {
    this.#limits = limits;
    for (const signal of FORWARDED) process.on(signal, this.#forward);
  }

  /** Takes the started command: sends it the signals forwarded so far and starts the timeout. */
  supervise(child: Subprocess): void {
    this.#child = child;
    for (const signal of this.#early.splice(0)) this.#send(child, signal);
    const { timeoutMs, signal } = this.#limits;
    if (timeoutMs > 0) {
      this.#timeoutTimer = setTimeout(() => {
        this.#timedOut = true;
        this.#send(child, signal);
      }, timeoutMs);
    }
  }

  /** Sends `signal`; the first signal starts the --kill-after countdown. */
  #send(child: Subprocess, signal: number): void {
    if (signal === SIGKILL) this.#sentKill = true;
    child.kill(signal);
    if (this.#limits.killAfterMs > 0 && this.#killTimer === undefined && !this.#sentKill) {
      this.#killTimer = setTimeout(() => this.#send(child, SIGKILL), this.#limits.killAfterMs);
    }
  }

  /** The exit code for the command's exit status, as timeout(1) gives it. */
  exitCode(status: ExitStatus): number {
    if (this.#sentKill && status.signalNumber === SIGKILL) return 128 + SIGKILL;
    if (this.#timedOut) return EXIT.timedOut;
    return status.shellCode;
  }

  /** Stops forwarding and clears the timers, so that nothing keeps the process alive. */
  stop(): void {
    for (const signal of FORWARDED) process.off(signal, this.#forward);
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#killTimer);
  }
}
