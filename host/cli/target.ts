// Opening the processes named on the command line, and printing their names.
import { PidFd, PidFdError } from "../index.js";
import { CliError, EXIT } from "./command.js";
import type { ProcessName } from "./args.js";

/**
 * Opens a pidfd for a named process. With an id (`<pid>:<id>`), PidFd.open refuses a pid that
 * now names another process; the error then says so, with the id the pid has now.
 */
export function openProcess(name: ProcessName): PidFd {
  try {
    return name.id === undefined ? PidFd.open(name.pid) : PidFd.open(name.pid, { id: name.id });
  } catch (error) {
    if (name.id !== undefined && error instanceof PidFdError && error.code === "ESRCH") {
      const current = currentId(name.pid);
      if (current !== null) {
        throw new CliError(EXIT.failure, `No such process: pid ${name.pid} now names another process (id ${current})`);
      }
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

/** `<pid>:<id>`, the name that keeps naming this process (or `<pid>` when ids are unsupported). */
export function stableName(pid: number, id: bigint | null): string {
  return id === null ? String(pid) : `${pid}:${id}`;
}
