// Waiting for a process to exit, as `wait`, `kill --timeout/--wait` need it: PidFd.waitAsync.
// Readiness comes from the library's event loop watcher; the only timer here is the deadline.
import { PidFdError, type ExitStatus, type PidFd } from "../index.js";

/**
 * Resolves once the process has exited, with its exit status, or null when the kernel cannot
 * tell (not our child, before Linux 6.15; or a zombie nobody reaps). Rejects when `signal` aborts.
 */
export function waitForExit(pidfd: PidFd, signal?: AbortSignal): Promise<ExitStatus | null> {
  return pidfd.waitAsync({ signal });
}

/** What waiting at most some time gave. */
export type Outcome = { exited: true; status: ExitStatus | null } | { exited: false };

/**
 * Waits for the process to exit, at most `ms` milliseconds (waitAsync's own timeout). Resolves
 * `{ exited: false }` when the time is up; the pidfd stays usable.
 */
export async function waitAtMost(pidfd: PidFd, ms: number): Promise<Outcome> {
  try {
    return { exited: true, status: await pidfd.waitAsync({ timeout: ms }) };
  } catch (error) {
    if (error instanceof PidFdError && error.code === "ETIMEDOUT") return { exited: false };
    throw error;
  }
}
