// pidfd run [--timeout <duration>] [-k <duration>] [-s <signal>] [--preserve-status] [--foreground]
// [--kill-tree] [--pidfile <file>] [-v] [--] <cmd> [args...]: runs a command with a pidfd, like
// coreutils timeout(1). runCommand also serves getfd --exec.
import fs from "node:fs";
import os from "node:os";
import {
  errnoMessage, PidFdError, readPidfile, signalName, spawn, writePidfile, type ExitStatus, type SpawnOptions, type Subprocess,
} from "../index.js";
import { parseDuration, parseOptions, splitAtCommand, type OptionSpecs } from "./args.js";
import { capitalize, CliError, EXIT, reasonOf, UsageError, type Command } from "./command.js";
import { printHelp, writeErr } from "./output.js";
import { parseSignal, signalLabel } from "./signals.js";

const help = `Usage: pidfd run [--timeout <duration>] [-k <duration>] [-s <signal>] [--preserve-status]
                 [--foreground] [--kill-tree] [--pidfile <file>] [-v] [--] <cmd> [args...]

Runs <cmd> with a pidfd held from the start and exits with its exit status (128+n
when signal n killed it), like timeout(1). SIGINT, SIGQUIT, SIGHUP, SIGTERM and the
--signal are passed on to <cmd> through the pidfd (to <cmd> only, not to its own
children; armed before <cmd> starts, so one that arrives while it starts reaches it
too). SIGALRM makes the timeout expire at once.

<cmd> runs in a session of its own, without a controlling terminal, so that a Ctrl-C
at the terminal reaches it once, passed on by pidfd run; Ctrl-Z stops it and pidfd
run, and SIGCONT and SIGWINCH are passed on. It can still read and write the terminal
through the stdin, stdout and stderr it inherits, but not open /dev/tty.

Options:
  --timeout <duration>         send the signal after <duration> (500ms, 2s, 1m; a
                               plain number is seconds; 0: no timeout); exit status 124
  -k, --kill-after <duration>  send SIGKILL if the command still runs <duration> after
                               the first signal (the timeout's or a passed-on one)
  -s, --signal <signal>        the timeout signal (default SIGTERM)
  --preserve-status            exit with the command's status even when it timed out
  --foreground                 keep <cmd> in pidfd run's session and process group: it
                               has the terminal (/dev/tty, job control, Ctrl-C and Ctrl-Z
                               directly from it, so a Ctrl-C reaches it twice: from the
                               terminal and passed on), as with timeout --foreground
  --kill-tree                  every signal sent to <cmd> goes to its whole tree (its
                               descendants, each through its own pidfd, the tree stopped
                               first so that it cannot grow); without --foreground pidfd
                               run is a child subreaper: <cmd>'s orphaned descendants come
                               back to it, stay in the tree and are reaped
  --pidfile <file>             write <cmd>'s pid to <file> once it has started (atomically;
                               line 1 the pid, line 2 its identity, which the other
                               commands' --pidfile check), and remove the file when <cmd>
                               has exited, unless it names another process by then
  -v, --verbose                say on stderr each signal sent to the command: the
                               timeout's, --kill-after's, the passed-on ones
  -h, --help                   show this help

Exit status: the command's; 124 timed out (without --preserve-status); 125 usage
error, or pidfd run itself failed; 126 the command cannot be executed; 127 not
found; 128+n killed by signal n (also when a passed-on signal killed it); 137 killed
by our SIGKILL (--kill-after, or --signal KILL).`;

const options: OptionSpecs = {
  timeout: { type: "string" },
  "kill-after": { type: "string", short: "k" },
  signal: { type: "string", short: "s" },
  "preserve-status": { type: "boolean" },
  foreground: { type: "boolean" },
  "kill-tree": { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  pidfile: { type: "string" },
};

/** How `pidfd run` runs the command and signals it by itself. */
export interface RunOptions {
  /** Milliseconds until the timeout signal; 0: never. */
  timeoutMs: number;
  /** Milliseconds from the first signal sent until SIGKILL; 0: never. */
  killAfterMs: number;
  /** The timeout signal. */
  signal: number;
  /** Exit with the command's status even when the timeout fired. */
  preserveStatus: boolean;
  /** Keep the command in our session and process group, with our controlling terminal. */
  foreground: boolean;
  /** Say on stderr which signal is sent to the command. */
  verbose: boolean;
  /** Signal the command's whole tree (spawn's killTree; and subreaper, unless foreground). */
  killTree: boolean;
  /** Where to write the command's pidfile (removed after its exit), or null. */
  pidfile: string | null;
}

/** No timeout, no SIGKILL, the command in a session of its own (getfd --exec). */
export const DEFAULT_RUN: RunOptions = {
  timeoutMs: 0, killAfterMs: 0, signal: os.constants.signals.SIGTERM, preserveStatus: false, foreground: false, verbose: false,
  killTree: false,
  pidfile: null,
};

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
    if (command[0] === "") throw new UsageError("the command's name is empty");
    return runCommand(command, {
      timeoutMs: values.timeout === undefined ? 0 : parseDuration(values.timeout as string, "s", "timeout"),
      killAfterMs: values["kill-after"] === undefined ? 0 : parseDuration(values["kill-after"] as string, "s", "kill-after duration"),
      signal: parseSignal((values.signal as string | undefined) ?? "TERM"),
      preserveStatus: values["preserve-status"] === true,
      foreground: values.foreground === true,
      verbose: values.verbose === true,
      killTree: values["kill-tree"] === true,
      pidfile: (values.pidfile as string | undefined) ?? null,
    });
  },
};

const { SIGCONT, SIGKILL, SIGSTOP, SIGWINCH } = os.constants.signals;
/** The signals timeout(1) catches and passes on (besides its --signal): each starts --kill-after's countdown. */
const PASSED_ON: readonly NodeJS.Signals[] = ["SIGINT", "SIGQUIT", "SIGHUP", "SIGTERM"];
/**
 * Signals pidfd run never listens for: it cannot (KILL, STOP); they are faults that a listener
 * would turn into a loop (ILL, BUS, FPE, SEGV); they are its own (PIPE from its writes, CHLD
 * from its command); it handles them otherwise (ALRM, TSTP, CONT, WINCH).
 */
const NOT_PASSED_ON = new Set(["SIGKILL", "SIGSTOP", "SIGILL", "SIGBUS", "SIGFPE", "SIGSEGV", "SIGPIPE", "SIGCHLD",
  "SIGALRM", "SIGTSTP", "SIGCONT", "SIGWINCH"]);
/** posix_spawnp errors that mean "found, but cannot be executed" (126, as execve failures in timeout(1)). */
const CANNOT_EXECUTE = new Set(["EACCES", "EPERM", "ENOEXEC", "ETXTBSY", "EISDIR", "ENOTDIR", "ELOOP", "ENAMETOOLONG", "E2BIG"]);

/**
 * Runs `command` (spawn(): posix_spawnp + pidfd_open; in a new session unless `foreground`) with
 * `stdio`, passes signals on to it through its pidfd as `options` say, applies the timeout, and
 * resolves with the exit code of timeout(1): the command's, 128+n when signal n killed it, 124
 * when the timeout fired (unless preserveStatus), 137 when our SIGKILL killed it. A command that
 * cannot be started is a CliError: 127 not found, 126 cannot be executed, 125 any other failure.
 *
 * The handlers are installed before the command starts (as timeout(1) installs its handlers
 * before fork), so a signal that arrives while the command is being started is caught, not
 * fatal, and acted on once the command exists. If the command cannot be started, such a signal
 * is dropped and the start failure's code is the exit code. They stay installed, inert, once the
 * command has exited: a signal that arrives then is ignored, and the exit code stands.
 */
export async function runCommand(command: readonly string[], options: RunOptions, stdio: SpawnOptions["stdio"] = "inherit"): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  const supervisor = new Supervisor(file, options);
  try {
    const child = startCommand(file, args, {
      stdio, detached: !options.foreground, killTree: options.killTree, subreaper: options.killTree && !options.foreground ? "all" : false,
    });
    if (options.pidfile !== null) await writeCommandPidfile(options.pidfile, child);
    supervisor.supervise(child);
    const status = await child.exited.catch((error: unknown) => {
      throw new CliError(EXIT.usage, `${file}: ${reasonOf(error)}`);
    }).finally(() => {
      if (options.pidfile !== null) removeCommandPidfile(options.pidfile, child);
    });
    return supervisor.exitCode(status);
  } finally {
    supervisor.stop();
  }
}

/** Writes the pidfile of the started command; if that fails, the command is killed and reaped, and it is a CliError (125). */
async function writeCommandPidfile(file: string, child: Subprocess): Promise<void> {
  try {
    writePidfile(file, child.pidfd);
  } catch (error) {
    child.kill(SIGKILL);
    await child.exited.catch(() => null);
    const errno = (error as NodeJS.ErrnoException).errno;
    const reason = error instanceof PidFdError || typeof errno !== "number" ? reasonOf(error) : capitalize(errnoMessage(-errno));
    throw new CliError(EXIT.usage, `cannot write pidfile ${file}: ${reason}`);
  }
}

/** Removes the command's pidfile once it has exited, unless the file names another process by now. */
function removeCommandPidfile(file: string, child: Subprocess): void {
  try {
    if (readPidfile(file).id === child.pidfd.getId()) fs.rmSync(file);
  } catch {
    // gone, or rewritten by someone else: left as it is
  }
}

/** spawn(); a command that cannot be started is a CliError with timeout(1)'s exit code. */
function startCommand(file: string, args: readonly string[], spawnOptions: SpawnOptions): Subprocess {
  try {
    return spawn(file, args, spawnOptions);
  } catch (error) {
    if (!(error instanceof PidFdError && error.syscall === "posix_spawnp")) throw new CliError(EXIT.usage, `${file}: ${reasonOf(error)}`);
    if (error.code === "ENOENT") throw new CliError(EXIT.notFound, `${file}: command not found`);
    throw new CliError(CANNOT_EXECUTE.has(error.code) ? EXIT.cannotExecute : EXIT.usage, `${file}: ${reasonOf(error)}`);
  }
}

/**
 * Sends the command the signals it gets from us: passed-on ones, the timeout's, SIGKILL, and
 * (without --foreground, where the command has no terminal) job control. Its handlers are
 * installed at its construction, before the command exists: what a signal handled before
 * supervise() asks for is done once the command has started. (spawn() is synchronous and the
 * handlers run on the event loop, so one that arrives during spawn() is handled after it has
 * returned, with the command known.)
 */
class Supervisor {
  readonly #file: string;
  readonly #options: RunOptions;
  #child: Subprocess | undefined;
  readonly #early: ((child: Subprocess) => void)[] = [];
  #timeoutTimer: NodeJS.Timeout | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  #timedOut = false;
  #sentKill = false;
  /** The command has exited (stop()): a signal from then on is ignored. */
  #stopped = false;

  /** Installs the handlers (process.on installs each at once). */
  constructor(file: string, options: RunOptions) {
    this.#file = file;
    this.#options = options;
    const own = signalName(options.signal);
    const passedOn = own === null || PASSED_ON.includes(own) || NOT_PASSED_ON.has(own) ? PASSED_ON : [...PASSED_ON, own];
    for (const name of passedOn) this.#on(name, (child) => this.#terminate(child, os.constants.signals[name]));
    this.#on("SIGALRM", (child) => this.#expire(child));
    if (!options.foreground) {
      this.#on("SIGTSTP", (child) => this.#suspend(child));
      this.#on("SIGCONT", (child) => child.kill(SIGCONT));
      this.#on("SIGWINCH", (child) => child.kill(SIGWINCH));
    }
  }

  #on(name: NodeJS.Signals, act: (child: Subprocess) => void): void {
    const handler = (): void => {
      if (this.#stopped) return;
      if (this.#child) act(this.#child);
      else this.#early.push(act);
    };
    process.on(name, handler);
  }

  /** Takes the started command: does what the signals so far asked for and starts the timeout. */
  supervise(child: Subprocess): void {
    this.#child = child;
    for (const act of this.#early.splice(0)) act(child);
    if (this.#options.timeoutMs > 0) this.#timeoutTimer = setTimeout(() => this.#expire(child), this.#options.timeoutMs);
  }

  /** The timeout has expired (its timer, or SIGALRM as in timeout(1)): the timeout signal. */
  #expire(child: Subprocess): void {
    this.#timedOut = true;
    this.#terminate(child, this.#options.signal);
  }

  /**
   * Sends `signal` as timeout(1) does: the first one starts the --kill-after countdown; without
   * --foreground a SIGCONT follows, so that a stopped command acts on it. The --verbose note
   * comes last: a stderr nobody reads holds back only the note, not the signal.
   */
  #terminate(child: Subprocess, signal: number): void {
    if (signal === SIGKILL) this.#sentKill = true;
    child.kill(signal);
    if (!this.#options.foreground && signal !== SIGKILL && signal !== SIGCONT) child.kill(SIGCONT);
    if (this.#options.killAfterMs > 0 && this.#killTimer === undefined && !this.#sentKill) {
      this.#killTimer = setTimeout(() => this.#terminate(child, SIGKILL), this.#options.killAfterMs);
    }
    if (this.#options.verbose) writeErr(`pidfd: run: sending signal ${signalLabel(signal)} to command '${this.#file}'\n`);
  }

  /**
   * Ctrl-Z (SIGTSTP) without --foreground: stops the command, then pidfd run itself, as the
   * terminal would stop both if they shared its process group. SIGSTOP, because the kernel
   * discards SIGTSTP for a process group with no parent in its session, as the command's is.
   */
  #suspend(child: Subprocess): void {
    child.kill(SIGSTOP);
    process.kill(process.pid, "SIGSTOP");
  }

  /** The exit code for the command's exit status, as timeout(1) gives it. */
  exitCode(status: ExitStatus): number {
    if (this.#sentKill && status.signalNumber === SIGKILL) return 128 + SIGKILL;
    if (this.#timedOut && !this.#options.preserveStatus) return EXIT.timedOut;
    return status.shellCode;
  }

  /**
   * Clears the timers, so that nothing keeps the process alive, and leaves the handlers installed
   * but inert: a signal that arrives between the command's exit and ours is ignored, as the
   * command's status is what we exit with (a removed handler would let it kill pidfd run). A
   * signal listener does not keep the process alive.
   */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#killTimer);
  }
}
