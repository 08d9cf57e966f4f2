// Waiting for a process to exit: the one piece `wait`, `kill --timeout/--wait` and `run` need
// from the lifecycle API (PidFd.waitAsync, issue 4). Readiness comes from the library's event
// loop watcher; the only timer here is the deadline, never a polling loop.
import type { ExitStatus, PidFd } from "../index.js";
import { CliError, EXIT } from "./command.js";

/** Whether this build can wait for processes to exit (false until PidFd.waitAsync exists). */
export const CAN_WAIT = false as boolean;

/** Refuses, before anything is done, a command or option that needs waiting when it is unavailable. */
export function requireWaiting(what: string, needs = "PidFd.waitAsync"): void {
  if (!CAN_WAIT) throw new CliError(EXIT.unsupported, `${what} is not available yet: it needs ${needs} (issue 4)`);
}

/**
 * Resolves once the process has exited, with its exit status, or null when the kernel cannot
 * tell (not our child, before Linux 6.15). Rejects when `signal` aborts.
 */
export async function waitForExit(pidfd: PidFd, signal?: AbortSignal): Promise<ExitStatus | null> {
  void pidfd;
  void signal;
  requireWaiting("waiting for a process");
  throw new Error("unreachable");
}

/** What waiting at most some time gave. */
export type Outcome = { exited: true; status: ExitStatus | null } | { exited: false };

/**
 * Waits for the process to exit, at most `ms` milliseconds (or until `signal` aborts, which
 * rejects). Resolves `{ exited: false }` when the time is up.
 */
export async function waitAtMost(pidfd: PidFd, ms: number, signal?: AbortSignal): Promise<Outcome> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ms);
  const both = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  try {
    return { exited: true, status: await waitForExit(pidfd, both) };
  } catch (error) {
    if (deadline.signal.aborted && !signal?.aborted) return { exited: false };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
