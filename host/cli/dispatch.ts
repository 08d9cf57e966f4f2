// The `pidfd` command: dispatches to one subcommand per file. Uses only the public API (from the
// modules that define it, not index.js, which would load spawn() and its streams for every
// command), for user and group names the NSS lookups of sys/users.ts, and runtime.ts to load the
// kernel's core before a command runs. The build bundles this module and all it imports into
// dist/host/cli_bundle.cjs, which the launcher main.cts loads (docs/cli.md).
import { createRequire } from "node:module";
import { errnoMessage } from "../errors.js";
import { kernelCore } from "../runtime.js";
import { capitalize, CliError, EXIT, exitCodeOf, reasonOf, UsageError, type Command } from "./command.js";
import { stdoutFailure, writeErr, writeOut } from "./output.js";

/**
 * The subcommands by name, each evaluated when it runs (the bundle keeps an import() lazy):
 * `pidfd info` runs info.js and what it needs, not the modules of run, kill or wait.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  info: async () => (await import("./info.js")).info,
  tree: async () => (await import("./tree.js")).tree,
  wait: async () => (await import("./wait.js")).wait,
  kill: async () => (await import("./kill.js")).kill,
  run: async () => (await import("./run.js")).run,
  getfd: async () => (await import("./getfd.js")).getfd,
};

/** Says why pidfd could not load what it needs: main.cts's start failure once runCli() has it. */
let cannotLoad = (error: unknown): string => reasonOf(error);

/** A failure to load what pidfd needs (too many open files): exit status 125, as when main.cts cannot load the bundle. */
function cannotStart(error: unknown): CliError {
  return new CliError(EXIT.usage, cannotLoad(error));
}

/** The subcommand named `name`, loaded, or undefined. */
function command(name: string | undefined): Promise<Command> | undefined {
  if (name === undefined || !Object.hasOwn(COMMANDS, name)) return undefined;
  return COMMANDS[name]!().catch((error: unknown) => {
    throw cannotStart(error);
  });
}

/** Loads koffi and compiles the core (build/pidfd.wasm), which every command needs, before it runs. */
function loadKernel(): void {
  try {
    kernelCore();
  } catch (error) {
    throw cannotStart(error);
  }
}

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return `Usage: pidfd <command> [options] [arguments]

Linux process file descriptors from the command line: name a process by a handle that
cannot be confused with another process that reuses its pid.

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join("\n")}

Processes are named <pid>, <pid>:<id> (the unique id "pidfd info" prints; refused once
the pid names another process) or self. Durations: 500ms, 2s, 1m, 1h. Signals: a name
with or without SIG, in any case (TERM, sigterm), RTMIN+<n>, RTMAX-<n>, or a number.

Options:
  -h, --help     show this help ("pidfd <command> --help" for a command)
  -V, --version  show the version

Exit status: 0 success; 1 the operation failed (no such process, permission denied,
a write error); 2 the kernel lacks the feature; 3 wait --timeout expired; 64 some of
the processes handled, others failed; 125 usage error; run and getfd --exec: 124
timed out, 126 cannot execute, 127 not found, else the command's status.

The manual page is pidfd(1).`;
}

/** The version in package.json, found by the package's name: from the bundle as from host/cli/. */
function version(): string {
  const manifest = createRequire(import.meta.url)("pidfd/package.json") as { version: string };
  return manifest.version;
}

/** Runs `pidfd` on `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "-h" || first === "--help" || first === "help") {
    const named = await command(rest[0]);
    writeOut(`${named ? named.help : await usage()}\n`);
    return EXIT.ok;
  }
  if (first === "-V" || first === "--version") {
    writeOut(`pidfd ${version()}\n`);
    return EXIT.ok;
  }
  let named: Command | undefined;
  try {
    if (first === undefined) throw new UsageError("no command given");
    named = await command(first);
    if (!named) throw new UsageError(first.startsWith("-") ? `unknown option '${first}'` : `unknown command '${first}'`);
    loadKernel();
    return await named.run(rest);
  } catch (error) {
    return failed(named, error);
  }
}

function failed(command: Command | undefined, error: unknown): number {
  const where = command ? `pidfd: ${command.name}` : "pidfd";
  if (error instanceof UsageError) {
    writeErr(`${where}: ${error.message} (see 'pidfd ${command ? `${command.name} ` : ""}--help')\n`);
    return error.exitCode;
  }
  writeErr(`${where}: ${reasonOf(error)}\n`);
  if (process.env.PIDFD_DEBUG && error instanceof Error && !(error instanceof CliError)) writeErr(`${error.stack}\n`);
  return exitCodeOf(error);
}

/**
 * Runs `pidfd` on this process's arguments and exits with its exit code. A failed write to stdout
 * (a full disk, a closed pipe) is one line once the command is done, and exit status 1, as
 * coreutils' close_stdout gives it: `pidfd: write error: No space left on device`.
 * `startFailure` words a module that cannot be loaded.
 *
 * process.exit() once the command is done (every write of pidfd's is synchronous): at the end of
 * the event loop, Node would first close its signal handles, which puts each signal's default
 * action back, and a SIGTERM meant for `pidfd run`'s command could then kill pidfd run between its
 * command's exit and its own.
 */
export async function runCli(startFailure: (error: unknown) => string = cannotLoad): Promise<void> {
  cannotLoad = startFailure;
  const code = await main(process.argv.slice(2));
  const writeErrno = stdoutFailure();
  if (writeErrno !== undefined) writeErr(`pidfd: write error: ${capitalize(errnoMessage(-writeErrno))}\n`);
  process.exit(writeErrno === undefined ? code : EXIT.failure);
}
