// PidFdError (Node's SystemError shape) and errno names and messages.
import os from "node:os";
import util from "node:util";

const PREFERRED_NAMES: Readonly<Record<number, string>> = { 11: "EAGAIN", 35: "EDEADLK", 95: "ENOTSUP" };

/** errno number -> name, from os.constants.errno (libuv does not know them all, e.g. ECHILD). */
const ERRNO_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(os.constants.errno)) {
  if (!ERRNO_NAMES.has(value)) ERRNO_NAMES.set(value, name);
}
for (const [value, name] of Object.entries(PREFERRED_NAMES)) ERRNO_NAMES.set(Number(value), name);

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

/** libuv's [name, message] by negative errno (util.getSystemErrorMap() builds a new Map per call). */
let systemErrors: Map<number, [string, string]> | undefined;

/** The text of a (positive) errno value, e.g. 3 -> "no such process". */
export function errnoMessage(errno: number): string {
  const name = errnoName(errno);
  systemErrors ??= util.getSystemErrorMap();
  return OWN_MESSAGES.get(name) ?? systemErrors.get(-errno)?.[1] ?? `unknown error ${errno}`;
}

export interface PidFdErrorDetails {
  /** The failed syscall, e.g. "pidfd_open". */
  syscall: string;
  /** The positive errno value. */
  errno: number;
  /** Context appended to the message, e.g. "pid 4242". */
  detail?: string | undefined;
  /** The process the call was about, when known. */
  pid?: number | undefined;
  /** What caused this error, if another error did. */
  cause?: unknown;
}

/**
 * The errno names a PidFdError carries: the pidfd syscalls', waitid's, pidfd_getfd's and ioctl's
 * failures, and spawn's (exec's) ones. 95 is named ENOTSUP, 11 EAGAIN.
 */
export type PidFdErrorCode = "E2BIG" | "EACCES" | "EAGAIN" | "EBADF" | "EBUSY" | "ECHILD" | "EFAULT" | "EINTR"
  | "EINVAL" | "EIO" | "EISDIR" | "ELOOP" | "EMFILE" | "ENAMETOOLONG" | "ENFILE" | "ENODATA" | "ENOENT" | "ENOEXEC"
  | "ENOMEM" | "ENOSYS" | "ENOTDIR" | "ENOTSUP" | "ENOTTY" | "EOVERFLOW" | "EPERM" | "EREMOTE" | "ESRCH" | "ETIMEDOUT" | "ETXTBSY";

/**
 * A failed system call, in the shape of Node's SystemError: `code` ("ESRCH"), `errno`
 * (negative, as in Node: -3), `syscall` ("pidfd_send_signal") and a readable message
 * ("ESRCH: no such process, pidfd_send_signal (pid 4242)").
 */
export class PidFdError extends Error {
  /** The errno name, e.g. "ESRCH"; "ENOTSUP" when the kernel lacks the feature. */
  readonly code: PidFdErrorCode;
  /** The negated errno value, as in Node's own errors (e.g. -3 for ESRCH). */
  readonly errno: number;
  /** The system call that failed. */
  readonly syscall: string;
  /** The pid concerned, when known. */
  readonly pid?: number;

  constructor(details: PidFdErrorDetails) {
    const code = errnoName(details.errno);
    const context = details.detail ? ` (${details.detail})` : "";
    super(`${code}: ${errnoMessage(details.errno)}, ${details.syscall}${context}`,
      details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "PidFdError";
    this.code = code as PidFdErrorCode;
    this.errno = -details.errno;
    this.syscall = details.syscall;
    if (details.pid !== undefined) this.pid = details.pid;
  }
}

/** Throws the PidFdError for a negative core result `rc` (-errno). */
export function fail(rc: number, syscall: string, detail?: string, pid?: number): never {
  throw new PidFdError({ errno: -rc, syscall, detail, pid });
}

/** A RangeError with Node's code for an out-of-range argument. */
export function outOfRange(name: string, expected: string, received: unknown): RangeError {
  return rangeError(`The value of "${name}" is out of range. It must be ${expected}. Received ${util.inspect(received)}`);
}

/** A RangeError with Node's code ERR_OUT_OF_RANGE. */
export function rangeError(message: string): RangeError {
  const error = new RangeError(message);
  Object.defineProperty(error, "code", { value: "ERR_OUT_OF_RANGE", enumerable: true });
  return error;
}

/** A TypeError with Node's code for an argument of the wrong type or value. */
export function invalidArg(name: string, expected: string, received: unknown, code = "ERR_INVALID_ARG_TYPE"): TypeError {
  const error = new TypeError(`The "${name}" argument must be ${expected}. Received ${util.inspect(received)}`);
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
  Object.defineProperty(error, "code", { value: "ABORT_ERR", enumerable: true });
  return error;
}

/** Checks that `value` is undefined or an AbortSignal; returns it. */
export function checkAbortSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) throw invalidArg(name, "an instance of AbortSignal", value);
  return value;
}
