// Waiting at most some time for a process to exit, as `kill --timeout` needs it: PidFd.waitAsync
// with its own timeout, "not yet" instead of an error when the time is up.
import { PidFdError } from "../errors.js";
import type { ExitStatus } from "../exit_status.js";
import type { PidFd } from "../pidfd.js";

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
