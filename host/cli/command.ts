// What every subcommand shares: its shape, the exit codes, and how a failure becomes one line.
import { PidFdError, errnoMessage } from "../errors.js";
import { writeErr } from "./output.js";

/**
 * Exit codes of `pidfd` (docs/cli.md). 0..3 are util-linux waitpid(1)'s, 64 is util-linux
 * kill(1)'s "partial success", 124..127 are coreutils timeout(1)'s (used by `run` and
 * `getfd --exec`).
 */
export const EXIT = {
  ok: 0,
  /** The operation failed (no such process, permission denied, ...). */
  failure: 1,
  /** The kernel does not provide what was asked for. */
  unsupported: 2,
  /** `wait --timeout` expired. */
  timeout: 3,
  /** Some of the named processes were handled, others failed. */
  partial: 64,
  /** `run --timeout` expired and the command was killed. */
  timedOut: 124,
  /** Usage error (bad option, argument, pid, signal or duration), or `run` itself failed. */
  usage: 125,
  /** The command to run was found but could not be executed. */
  cannotExecute: 126,
  /** The command to run was not found. */
  notFound: 127,
} as const;

/** One subcommand: `pidfd <name> ...`. */
export interface Command {
  readonly name: string;
  /** One line for `pidfd --help`. */
  readonly summary: string;
  /** The full text of `pidfd <name> --help`. */
  readonly help: string;
  /** Runs the command on its arguments (after the name); resolves with the exit code. */
  run(args: string[]): Promise<number>;
}

/** A failure the CLI reports as one line on stderr and an exit code, never with a stack. */
export class CliError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** A usage error: exit code 125 and a hint to try --help. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(EXIT.usage, message);
    this.name = "UsageError";
  }
}

const UNSUPPORTED_CODES = new Set(["ENOSYS", "ENOTSUP", "EOPNOTSUPP"]);

/** Whether `error` says the kernel lacks the feature. */
export function isUnsupported(error: unknown): boolean {
  return error instanceof PidFdError && UNSUPPORTED_CODES.has(error.code);
}

/** The exit code for a failure: 2 when the kernel lacks the feature, else 1 (CliError: its own). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  return isUnsupported(error) ? EXIT.unsupported : EXIT.failure;
}

/**
 * The reason part of an error line: "No such process" for a PidFdError (plus the library's
 * explanation when the kernel lacks the feature), the message of anything else.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof PidFdError) {
    const text = capitalize(errnoMessage(-error.errno));
    if (isUnsupported(error)) return `${text} (${error.message})`;
    // A failure of the library's own (no syscall returned it): its detail is the reason's half.
    const detail = error.syscall === undefined ? /\((.*)\)$/.exec(error.message)?.[1] : undefined;
    return detail === undefined ? text : `${text} (${detail})`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The exit code after handling several processes: ok, partial (64), or the failures' own code. */
export function combinedExitCode(failures: readonly unknown[], total: number): number {
  if (failures.length === 0) return EXIT.ok;
  if (failures.length < total) return EXIT.partial;
  const codes = new Set(failures.map(exitCodeOf));
  return codes.size === 1 ? [...codes][0]! : EXIT.failure;
}

/** Writes `pidfd: <subject>: <reason>` to stderr. */
export function reportError(subject: string, error: unknown): void {
  writeErr(`pidfd: ${subject}: ${reasonOf(error)}\n`);
}
