// Run by pid_reuse.test.ts as PID 1 of a new pid namespace (unshare --pid --fork --mount-proc):
// `REUSES` times, a child exits and is reaped while three PidFds name it, its pid is handed to a
// newcomer (ns_last_pid is per pid namespace), and each old PidFd is tried on the newcomer.
// Prints one JSON line of counts; exits non-zero only if the script itself could not run.
import fs from "node:fs";
import { ExitStatus, PidFd, PidFdError, spawn, type Subprocess } from "../../host/index.js";

const REUSES = Number(process.env.REUSES ?? 200);
const NS_LAST_PID = "/proc/sys/kernel/ns_last_pid";

/** A method of an old PidFd that answered as only a PidFd naming the newcomer could have. */
type Reach = string;

/** `call()`'s value, or the code of the PidFdError it threw. */
function attempt<T>(call: () => T): { value: T } | { code: string } {
  try {
    return { value: call() };
  } catch (error) {
    if (error instanceof PidFdError) return { code: error.code };
    throw error;
  }
}

/** Whether `call()` threw ESRCH. */
function refusedESRCH(call: () => unknown): boolean {
  const answer = attempt(call);
  return "code" in answer && answer.code === "ESRCH";
}

/** The ways `old` answers for the newcomer, if any, while the newcomer runs (`old` named `status`'s process). */
function reachesWhileRunning(old: PidFd, oldId: bigint, status: ExitStatus, pid: number): Reach[] {
  const reached: Reach[] = [];
  if (!refusedESRCH(() => old.sendSignal("SIGKILL"))) reached.push("sendSignal");
  if (!refusedESRCH(() => old.getPid())) reached.push("getPid");
  if (old.isAlive()) reached.push("isAlive");
  if (old.getId() !== oldId) reached.push("getId");
  const info = attempt(() => old.getInfo());
  if ("value" in info ? info.value.pid !== null || info.value.exit?.raw !== status.raw : info.code !== "ESRCH") reached.push("getInfo");
  return reached;
}

/** What a wait answered: "the old status", "null", an error code, or anything else it returned. */
function label(got: { value: ExitStatus | null } | { code: string }, status: ExitStatus): string {
  if ("code" in got) return got.code;
  if (got.value === null) return "null";
  return got.value.raw === status.raw ? "the old status" : `${got.value}`;
}

/** The answers a PidFd may give once its process was reaped: it is neither running nor the newcomer. */
const REAPED_ANSWERS = new Set(["the old status", "ECHILD", "ESRCH", "null"]);

/**
 * What `old`'s waits answer (tryWait, wait, waitAsync), by method. A wait that reached a
 * running newcomer would answer null (tryWait), block (wait: it would hang here), or stay
 * pending (waitAsync: awaited here); one that reached an exited newcomer would give its status.
 */
async function waitAnswers(old: PidFd, status: ExitStatus): Promise<Record<string, string>> {
  const tryWait = attempt(() => old.tryWait());
  return {
    tryWait: "value" in tryWait && tryWait.value === null ? "running" : label(tryWait, status),
    wait: label(attempt(() => old.wait()), status),
    waitAsync: label(await old.waitAsync().then((value) => ({ value }), (error) => ({ code: error instanceof PidFdError ? error.code : `${error}` })), status),
  };
}

/** A child blocked on its stdin, exiting with `code` once stdin is closed. */
function gatedChild(code: number): Subprocess {
  return spawn("sh", ["-c", `read _; exit ${code}`], { stdio: ["pipe", "ignore", "ignore"] });
}

const counts = {
  reuses: 0,
  /** Reuses in which some old PidFd answered for the newcomer (see `reachedBy`). */
  pidfdReachedNewcomer: 0,
  /** Reuses in which process.kill(pid, 0) found the newcomer. */
  processKillReachedNewcomer: 0,
  /** PidFd.open(pid, { id: oldId }) refused with ESRCH. */
  openWithOldIdRefused: 0,
  /** The newcomer's own exit status was the SIGTERM we sent it (no old PidFd's SIGKILL got to it). */
  newcomerKilledOnlyByItsOwnPidfd: 0,
  reachedBy: {} as Record<string, number>,
  /** What each old PidFd's waits answered, and how often. */
  waitAnswers: {} as Record<string, number>,
  notReused: [] as { wanted: number; got: number }[],
};

if (process.pid !== 1) throw new Error(`not PID 1 of a new pid namespace (pid ${process.pid})`);
for (let i = 0; i < REUSES; i++) {
  const code = 1 + (i % 200);
  const old = gatedChild(code);
  const pid = old.pid;
  const watched = PidFd.open(pid); // waits through the exit
  const unwatched = PidFd.open(pid); // never waited on before the pid is reused
  const oldId = old.pidfd.getId();
  const watching = watched.waitAsync();
  old.stdin!.end();
  const status = await old.exited; // the Subprocess reaped it: the pid is free
  if ((await watching)?.raw !== status.raw) throw new Error(`the watching wait missed the exit: ${status}`);
  if (status.code !== code) throw new Error(`the old child ${status}, expected code ${code}`);

  fs.writeFileSync(NS_LAST_PID, String(pid - 1));
  const newcomer = spawn("sleep", ["1000"], { stdio: "ignore" });
  if (newcomer.pid !== pid) {
    counts.notReused.push({ wanted: pid, got: newcomer.pid });
    newcomer.close();
    for (const pidfd of [watched, unwatched]) pidfd.close();
    continue;
  }
  counts.reuses++;
  const newcomerId = newcomer.pidfd.getId();
  if (newcomerId === oldId) throw new Error(`the newcomer has the old process's id ${oldId}`);

  try {
    process.kill(pid, 0);
    counts.processKillReachedNewcomer++;
  } catch {}
  if (refusedESRCH(() => PidFd.open(pid, { id: oldId }).close())) counts.openWithOldIdRefused++;

  const reached = new Set<Reach>();
  const handles = [["subprocess", old.pidfd], ["watched", watched], ["unwatched", unwatched]] as const;
  const recordWaits = async (when: string): Promise<void> => {
    for (const [name, pidfd] of handles) {
      for (const [method, answer] of Object.entries(await waitAnswers(pidfd, status))) {
        const key = `${name}.${method} ${when}: ${answer}`;
        counts.waitAnswers[key] = (counts.waitAnswers[key] ?? 0) + 1;
        if (!REAPED_ANSWERS.has(answer)) reached.add(`${name}.${method} ${when}`);
      }
    }
  };
  for (const [name, pidfd] of handles) {
    for (const how of reachesWhileRunning(pidfd, oldId, status, pid)) reached.add(`${name}.${how}`);
  }
  await recordWaits("while the newcomer runs");
  newcomer.kill("SIGTERM");
  if ((await newcomer.exited).signal === "SIGTERM") counts.newcomerKilledOnlyByItsOwnPidfd++;
  newcomer.close();
  await recordWaits("after the newcomer exited");
  for (const [, pidfd] of handles) pidfd.close();
  if (reached.size > 0) counts.pidfdReachedNewcomer++;
  for (const how of reached) counts.reachedBy[how] = (counts.reachedBy[how] ?? 0) + 1;
}
console.log(JSON.stringify(counts));
