// PidFdError (Node's SystemError shape), errno names and messages, and Node's argument errors.
// Runtime-neutral (no Node API imported): the Deno host uses it as it is.
import { ERRNO_TABLE } from "./errno_names.js";

/** errno number -> name (os.constants.errno's: libuv does not know them all, e.g. ECHILD). */
const ERRNO_NAMES = new Map<number, string>(ERRNO_TABLE.map(([errno, name]) => [errno, name]));
/** errno number -> libuv's message. */
const LIBUV_MESSAGES = new Map<number, string>(ERRNO_TABLE.flatMap(([errno, , message]) => message === undefined ? [] : [[errno, message]]));

/**
 * Messages libuv's map lacks, and ETIMEDOUT's: this library reports it only for a wait that
 * timed out (libuv's "connection timed out" is about sockets).
 */
const OWN_MESSAGES: ReadonlyMap<string, string> = new Map([
  ["ECHILD", "no child processes"],
  ["ENOTSUP", "operation not supported"],
  ["EREMOTE", "object is remote"],
  ["ENODATA", "no data available"],
  ["ENOTTY", "inappropriate ioctl for device"],
  ["EOVERFLOW", "value too large for defined data type"],
  ["ETIMEDOUT", "timed out waiting for the process"],
]);

/** The name of a (positive) errno value, e.g. 3 -> "ESRCH". */
export function errnoName(errno: number): string {
  return ERRNO_NAMES.get(errno) ?? `E${errno}`;
}

/** The text of a (positive) errno value, e.g. 3 -> "no such process". */
export function errnoMessage(errno: number): string {
  return OWN_MESSAGES.get(errnoName(errno)) ?? LIBUV_MESSAGES.get(errno) ?? `unknown error ${errno}`;
}

/**
 * What a PidFdError is built from: the failed `syscall`, or, for a failure of the library's own
 * that no syscall returned, the `method` that failed (then the error has no `syscall`).
 */
export type PidFdErrorDetails = FailureDetails & ({ syscall: string; method?: undefined } | { syscall?: undefined; method: string });

/** What a PidFdError reports, besides the syscall or method it names. */
interface FailureDetails {
  /** The positive errno value. */
  errno: number;
  /** Context appended to the message, e.g. "pid 4242". */
  detail?: string | undefined;
  /** The process the call was about, when known. */
  pid?: number | undefined;
  /** What caused this error, if another error did. */
  cause?: unknown;
}

/** The highest errno the kernel reports (MAX_ERRNO): the names of 1..MAX_ERRNO are kept once built. */
const MAX_ERRNO = 4095;

/** What every PidFdError for one errno shares: its code, and the start of its message. */
interface Failure {
  readonly code: string;
  /** "ESRCH: no such process, " */
  readonly start: string;
}
const FAILURES: (Failure | undefined)[] = [];

function failureOf(errno: number): Failure {
  const kept = FAILURES[errno];
  if (kept !== undefined) return kept;
  const code = errnoName(errno);
  const failure = { code, start: `${code}: ${errnoMessage(errno)}, ` };
  if (Number.isInteger(errno) && errno > 0 && errno <= MAX_ERRNO) FAILURES[errno] = failure;
  return failure;
}

/**
 * The errno names a PidFdError carries: the pidfd syscalls', waitid's, pidfd_getfd's and ioctl's
 * failures, and spawn's (exec's) ones. 95 is named ENOTSUP, 11 EAGAIN.
 */
export type PidFdErrorCode = "E2BIG" | "EACCES" | "EAGAIN" | "EBADF" | "EBUSY" | "ECHILD" | "EFAULT" | "EINTR"
  | "EINVAL" | "EIO" | "EISDIR" | "ELOOP" | "EMFILE" | "ENAMETOOLONG" | "ENFILE" | "ENODATA" | "ENOENT" | "ENOEXEC"
  | "ENOMEM" | "ENOSYS" | "ENOTDIR" | "ENOTSOCK" | "ENOTSUP" | "ENOTTY" | "EOVERFLOW" | "EPERM" | "EREMOTE" | "ESRCH" | "ETIMEDOUT" | "ETXTBSY";

/**
 * A failed system call, in the shape of Node's SystemError: `code` ("ESRCH"), `errno`
 * (negative, as in Node: -3), `syscall` ("pidfd_send_signal") and a readable message
 * ("ESRCH: no such process, pidfd_send_signal (pid 4242)").
 */
export class PidFdError extends Error {
  /** The errno name, e.g. "ESRCH"; "ENOTSUP" when the kernel lacks the feature. */
  declare readonly code: PidFdErrorCode;
  /** The negated errno value, as in Node's own errors (e.g. -3 for ESRCH). */
  declare readonly errno: number;
  /**
   * The system call that failed; absent when no system call did, for the library's own
   * failures (EBUSY from fromFd, ETIMEDOUT from a wait's timeout), whose message names the method.
   */
  declare readonly syscall?: string;
  /** The pid concerned, when known (absent otherwise). */
  declare readonly pid?: number;

  constructor(details: PidFdErrorDetails) {
    super(failureMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    setFields(this, details);
  }
}
Object.defineProperty(PidFdError.prototype, "name", { value: "PidFdError", writable: true, configurable: true });

/**
 * The message of the PidFdError of `details`: "ESRCH: no such process, pidfd_send_signal (signal 0)",
 * or, for a failure of the library's own that no syscall returned (`method` instead of
 * `syscall`), "ETIMEDOUT: timed out waiting for the process, waitAsync (...)".
 */
export function failureMessage(details: PidFdErrorDetails): string {
  return failureOf(details.errno).start + (details.syscall ?? details.method) + (details.detail ? ` (${details.detail})` : "");
}

/**
 * Makes `error`, a `new Error(failureMessage(details))` created by the function that throws, the
 * PidFdError of `details`. The cheap way to throw one: V8 captures the stack trace in `new
 * Error()`, at a cost that grows with every frame it walks, and then the walk starts at the
 * function that throws (PidFdError's constructor is not on the stack); sendSignal()'s throwing
 * path costs no more than process.kill()'s (bench/throwing.ts). `details.cause` is not used:
 * construct a PidFdError for that.
 */
export function asPidFdError(error: Error, details: PidFdErrorDetails): PidFdError {
  Object.setPrototypeOf(error, PidFdError.prototype);
  setFields(error as PidFdError, details);
  return error as PidFdError;
}

function setFields(error: PidFdError, details: PidFdErrorDetails): void {
  const fields = error as { -readonly [K in "code" | "errno" | "syscall" | "pid"]: PidFdError[K] };
  fields.code = failureOf(details.errno).code as PidFdErrorCode;
  fields.errno = -details.errno;
  if (details.syscall !== undefined) fields.syscall = details.syscall;
  if (details.pid !== undefined) fields.pid = details.pid;
}

/** Throws the PidFdError for a negative core result `rc` (-errno). */
export function fail(rc: number, syscall: string, detail?: string, pid?: number): never {
  const details = { errno: -rc, syscall, detail, pid };
  throw asPidFdError(new Error(failureMessage(details)), details);
}

/**
 * Throws the PidFdError of a failure the library itself detects, in its method `method`, with no
 * syscall (its `syscall` is absent; the method is named in the message).
 */
export function failIn(method: string, errno: number, detail?: string, pid?: number): never {
  const details = { errno, method, detail, pid };
  throw asPidFdError(new Error(failureMessage(details)), details);
}

/** The longest a received value is shown in a message, as in Node's ERR_INVALID_ARG_VALUE. */
const RECEIVED_MAX = 128;

type Inspect = (value: unknown, options: { depth: number; breakLength: number; maxArrayLength: number; maxStringLength: number }) => string;

/**
 * util.inspect where the runtime has node:util (Node, through process.getBuiltinModule, 20.16;
 * Deno's compatibility layer has it too, without a permission), else String() and, for plain
 * data, JSON: an argument error then shows the received value less like Node does, no more.
 */
const inspect: Inspect = ((globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process
  ?.getBuiltinModule?.("node:util") as { inspect: Inspect } | undefined)?.inspect ?? ((value) => {
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) ?? String(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
});

/**
 * A received value as Node's argument errors show it: util.inspect without nesting (an object's
 * members one level deep at most), cut at RECEIVED_MAX characters.
 */
function inspected(value: unknown): string {
  const text = inspect(value, { depth: 0, breakLength: Infinity, maxArrayLength: 10, maxStringLength: RECEIVED_MAX });
  return text.length > RECEIVED_MAX ? `${text.slice(0, RECEIVED_MAX)}...` : text;
}

/** A value of the wrong type as Node shows it (lib/internal/errors.js determineSpecificType): its type, and a short value. */
function specificType(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "bigint":
      return `type bigint (${value}n)`;
    case "number":
      return `type number (${Object.is(value, -0) ? "-0" : value})`;
    case "boolean":
    case "symbol":
      return `type ${typeof value} (${String(value)})`;
    case "function":
      return `function ${value.name}`;
    case "string": {
      const shown = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `type string (${shown.includes("'") ? JSON.stringify(shown) : `'${shown}'`})`;
    }
    default: {
      if (value === null) return "null";
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === "string" && name ? `an instance of ${name}` : inspected(value);
    }
  }
}

/** "argument" or, for a dotted name ("options.cwd"), "property", as in Node's messages. */
function what(name: string): string {
  return name.includes(".") ? "property" : "argument";
}

/** A RangeError with Node's code for an out-of-range argument. */
export function outOfRange(name: string, expected: string, received: unknown): RangeError {
  return rangeError(`The value of "${name}" is out of range. It must be ${expected}. Received ${inspected(received)}`);
}

/** A RangeError with Node's code ERR_OUT_OF_RANGE. */
export function rangeError(message: string): RangeError {
  return withCode(new RangeError(message), "ERR_OUT_OF_RANGE");
}

/** A TypeError with Node's code for an argument of the wrong type or value. */
export function invalidArg(name: string, expected: string, received: unknown, code = "ERR_INVALID_ARG_TYPE"): TypeError {
  const shown = code === "ERR_INVALID_ARG_TYPE" ? specificType(received) : inspected(received);
  return withCode(new TypeError(`The "${name}" ${what(name)} must be ${expected}. Received ${shown}`), code);
}

/** TypeError ERR_INVALID_ARG_VALUE for a property of an options object that is no option: names it and the options there are. */
export function unknownOption(name: string, key: string, known: readonly string[], received: unknown): TypeError {
  return withCode(new TypeError(`The property "${name}.${key}" is not an option: the options are ${known.join(", ")}. `
    + `Received ${inspected(received)}`), "ERR_INVALID_ARG_VALUE");
}

/** TypeError ERR_ILLEGAL_CONSTRUCTOR (Node's code for a class that only its own functions may construct). */
export function illegalConstructor(message: string): TypeError {
  return withCode(new TypeError(`Illegal constructor: ${message}`), "ERR_ILLEGAL_CONSTRUCTOR");
}

function withCode<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, "code", { value: code, enumerable: true });
  return error;
}

/** Checks that `value` is an integer in [min, max]; returns it. */
export function checkInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number") throw invalidArg(name, "of type number", value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(name, `an integer >= ${min} and <= ${max}`, value);
  }
  return value;
}

/** Node's AbortError (name "AbortError", code "ABORT_ERR"), with the signal's reason as its cause. */
export function abortError(signal: AbortSignal): Error {
  const error = new Error("The operation was aborted", { cause: signal.reason });
  error.name = "AbortError";
  return withCode(error, "ABORT_ERR");
}

/** Checks that `value` is undefined or an AbortSignal; returns it. */
export function checkAbortSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) throw invalidArg(name, "an instance of AbortSignal", value);
  return value;
}
