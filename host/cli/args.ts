// Command-line parsing shared by the subcommands: options (node:util parseArgs), process names,
// durations and numbers (signals are in signals.ts). Every bad input becomes a UsageError
// naming the argument.
import { parseArgs } from "node:util";
import { PidFdError } from "../errors.js";
import { readPidfile } from "../identity.js";
import { CliError, EXIT, UsageError } from "./command.js";

export type OptionSpecs = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

export interface ParsedOptions {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

const NEGATIVE_NUMBER = /^-\d/;
const PLACEHOLDER = "\u0000";

/**
 * Parses `args` strictly against `options` (plus --help). Arguments that look like negative
 * numbers ("-5") are kept as positionals or option values, so that `info -5` reports an
 * invalid pid rather than an unknown option "-5". Everything after "--" is positional.
 */
export function parseOptions(args: readonly string[], options: OptionSpecs): ParsedOptions {
  const terminator = args.indexOf("--");
  const head = terminator < 0 ? [...args] : args.slice(0, terminator);
  const hidden = head.map((arg, index) => (NEGATIVE_NUMBER.test(arg) ? `${PLACEHOLDER}${index}` : arg));
  const reveal = (value: string): string => (value.startsWith(PLACEHOLDER) ? head[Number(value.slice(1))]! : value);
  let parsed;
  try {
    parsed = parseArgs({
      args: terminator < 0 ? hidden : [...hidden, ...args.slice(terminator)],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageFromParseArgs(error);
  }
  const values: ParsedOptions["values"] = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    values[name] = Array.isArray(value)
      ? value.map((item) => (typeof item === "string" ? reveal(item) : item))
      : typeof value === "string" ? reveal(value) : value;
  }
  return { values, positionals: parsed.positionals.map(reveal) };
}

/**
 * Splits `args` at the command to run: options come first, the command starts at "--" or at
 * the first argument that is not an option or an option's value (like timeout(1) and env(1)).
 */
export function splitAtCommand(args: readonly string[], options: OptionSpecs): [string[], string[]] {
  const takesValue = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== "string") continue;
    takesValue.add(`--${name}`);
    if (spec.short) takesValue.add(`-${spec.short}`);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return [args.slice(0, i), args.slice(i + 1)];
    if (!arg.startsWith("-") || arg === "-") return [args.slice(0, i), args.slice(i)];
    if (takesValue.has(arg)) i++;
  }
  return [[...args], []];
}

function usageFromParseArgs(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? "";
  const option = /'([^']+)'/.exec(message)?.[1]?.replace(" <value>", "").split(",").pop()?.trim() ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`unknown option '${option}'`);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return new UsageError(message.includes("argument missing") || message.includes("ambiguous")
        ? `option '${option}' needs a value` : `option '${option}' takes no value`);
    default:
      return code?.startsWith("ERR_PARSE_ARGS") ? new UsageError(message) : error;
  }
}

/** A process named on the command line: `<pid>`, `<pid>:<id>` or `self`. */
export interface ProcessName {
  /** As typed. */
  readonly text: string;
  readonly pid: number;
  /** The unique id (PidFd.getId()) the process must have, when given. */
  readonly id?: bigint;
  /** The boot `id` was read in, for a process named by a pidfile. */
  readonly bootId?: string;
}

/** `--pidfile <file>`, repeatable: for every command that takes processes. */
export const PIDFILE_OPTION: OptionSpecs = { pidfile: { type: "string", multiple: true } };

/**
 * The processes a pidfile names, read now: its pid with the id and boot of its identity line
 * (PidFd.fromPidfile's format). A pidfile of a bare pid is refused: it cannot be verified.
 */
export function parsePidfile(file: string): ProcessName {
  let contents;
  try {
    contents = readPidfile(file);
  } catch (error) {
    const reason = error instanceof PidFdError ? error.message : (error as Error).message;
    throw new CliError(EXIT.failure, `cannot use pidfile ${file}: ${reason}`);
  }
  const text = `--pidfile ${file}`;
  if (contents.id === null || contents.bootId === null) {
    throw new CliError(EXIT.failure, `pidfile ${file} holds a bare pid (${contents.pid}) and no identity: it cannot be verified `
      + `(name the pid as an argument to use it as it is)`);
  }
  return { text, pid: contents.pid, id: contents.id, bootId: contents.bootId };
}

/** The processes named by the arguments and by `--pidfile` options; at least one is required. */
export function parseTargets(positionals: readonly string[], pidfiles: unknown): ProcessName[] {
  const files = Array.isArray(pidfiles) ? pidfiles.filter((file): file is string => typeof file === "string") : [];
  if (files.length === 0) return parseProcessNames(positionals);
  return [...positionals.map(parseProcessName), ...files.map(parsePidfile)];
}

const PID_MAX = 0x7fffffff;
const U64_MAX = (1n << 64n) - 1n;

/** Parses `<pid>`, `<pid>:<id>` (id: the decimal unique process id) or `self` (this process). */
export function parseProcessName(text: string): ProcessName {
  if (text === "self") return { text, pid: process.pid };
  const match = /^(\d+)(?::(\d+))?$/.exec(text);
  const pid = match ? Number(match[1]) : NaN;
  if (!match || !(pid >= 1 && pid <= PID_MAX)) {
    throw new UsageError(`invalid process '${text}': expected a pid (1..${PID_MAX}), <pid>:<id> or self`);
  }
  if (match[2] === undefined) return { text, pid };
  const id = BigInt(match[2]);
  if (id < 1n || id > U64_MAX) throw new UsageError(`invalid process '${text}': the id must be 1..${U64_MAX}`);
  return { text, pid, id };
}

/** Parses every name; at least one is required. */
export function parseProcessNames(texts: readonly string[], what = "process"): ProcessName[] {
  if (texts.length === 0) throw new UsageError(`no ${what} given`);
  return texts.map(parseProcessName);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest duration a timer can wait (setTimeout's limit, about 24.8 days). */
export const DURATION_MAX_MS = 0x7fffffff;

/**
 * Parses a duration: a number with a unit (`500ms`, `2s`, `1.5m`, `1h`, `1d`), or a plain number
 * in `plainUnit` ("s" for wait and run, as in waitpid(1) and timeout(1); "ms" for kill
 * --timeout, as in kill(1)). Returns whole milliseconds (rounded up).
 */
export function parseDuration(text: string, plainUnit: "s" | "ms", what = "duration"): number {
  const match = /^(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h|d)?$/.exec(text);
  const ms = match ? Math.ceil(Number(match[1]) * UNIT_MS[match[2] ?? plainUnit]!) : NaN;
  if (!match || !(ms <= DURATION_MAX_MS)) {
    throw new UsageError(`invalid ${what} '${text}': expected e.g. 500ms, 2s, 1m (at most ${DURATION_MAX_MS}ms)`);
  }
  return ms;
}

/** Parses a decimal integer in [min, max]. */
export function parseInteger(text: string, what: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`invalid ${what} '${text}': expected an integer ${min}..${max}`);
  return value;
}

/** Throws a usage error for positionals beyond `max`. */
export function noMoreThan(positionals: readonly string[], max: number): void {
  if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`);
}
