// Opening the processes named on the command line, and printing their names.
import { PidFdError } from "../errors.js";
import { PidFd } from "../pidfd.js";
import { CliError, EXIT } from "./command.js";
import type { ProcessName } from "./args.js";

/** The named process is gone, and its pid names another process now (`<pid>:<id>` with another id). */
class PidReusedError extends CliError {
  constructor(pid: number, current: bigint) {
    super(EXIT.failure, `No such process: pid ${pid} now names another process (id ${current})`);
  }
}

/** Whether `error` (from openProcess) says that the named process does not exist (any more). */
export function isGone(error: unknown): boolean {
  return error instanceof PidReusedError || (error instanceof PidFdError && error.code === "ESRCH");
}

/**
 * Opens a pidfd for a named process. With an id (`<pid>:<id>`), PidFd.open refuses a pid that
 * now names another process; the error then says so, with the id the pid has now.
 */
export function openProcess(name: ProcessName): PidFd {
  try {
    if (name.id === undefined) return PidFd.open(name.pid);
    return PidFd.open(name.pid, name.bootId === undefined ? { id: name.id } : { id: name.id, bootId: name.bootId });
  } catch (error) {
    if (name.id !== undefined && error instanceof PidFdError && error.code === "ESRCH") {
      const current = currentId(name.pid);
      if (current !== null) throw new PidReusedError(name.pid, current);
    }
    throw error;
  }
}

function currentId(pid: number): bigint | null {
  try {
    using pidfd = PidFd.open(pid);
    return pidfd.getId();
  } catch {
    return null;
  }
}

/** The name that keeps naming the process of `pidfd` (opened for `pid`): see stableName. */
export function nameOf(pidfd: PidFd, pid: number): string {
  let id: bigint | null = null;
  try {
    id = pidfd.getId();
  } catch {
    // no id before Linux 6.9 (pidfs): the pid alone
  }
  return stableName(pid, id);
}

/** `<pid>:<id>`, the name that keeps naming this process (or `<pid>` when ids are unsupported). */
export function stableName(pid: number, id: bigint | null): string {
  return id === null ? String(pid) : `${pid}:${id}`;
}
