// A PidFd never reaches the process that reuses its pid. In a new pid namespace (so that the
// pid allocator is ours: ns_last_pid is per namespace), 200 times: a child exits and is reaped,
// its pid is given to a newcomer, and every old PidFd is tried on the newcomer, while
// process.kill(pid, 0) reaches it each time. Needs root (unshare --pid).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const SCRIPT = fileURLToPath(new URL("./pid_reuse_script.js", import.meta.url));
const REUSES = 200;
/** A new pid namespace whose PID 1 is the command; the command is killed if unshare dies. */
const UNSHARE = ["--pid", "--fork", "--mount-proc", "--kill-child"];

interface Counts {
  reuses: number;
  pidfdReachedNewcomer: number;
  processKillReachedNewcomer: number;
  openWithOldIdRefused: number;
  newcomerKilledOnlyByItsOwnPidfd: number;
  reachedBy: Record<string, number>;
  waitAnswers: Record<string, number>;
  notReused: { wanted: number; got: number }[];
}

/** Fails with a clear message unless this process may create a pid namespace. */
async function assertMayUnsharePid(): Promise<void> {
  try {
    await promisify(execFile)("unshare", [...UNSHARE, "true"]);
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    assert.fail(`needs root: unshare --pid (CAP_SYS_ADMIN) failed: ${(stderr || message).trim()}`);
  }
}

describe("pid reuse", () => {
  it(`${REUSES} reuses of a reaped child's pid: the old PidFds never reach the newcomer, process.kill() always does`, async function () {
    this.timeout(120000);
    await assertMayUnsharePid();
    const { stdout } = await promisify(execFile)("unshare", [...UNSHARE, process.execPath, SCRIPT],
      { encoding: "utf8", env: { ...process.env, REUSES: String(REUSES) } });
    const counts = JSON.parse(stdout) as Counts;
    console.log(`      ${counts.reuses} reuses: the old PidFds reached the newcomer ${counts.pidfdReachedNewcomer} times, ` +
      `process.kill(pid, 0) ${counts.processKillReachedNewcomer} times; open(pid, { id: oldId }) refused ${counts.openWithOldIdRefused} times`);
    console.log(Object.entries(counts.waitAnswers).map(([answer, n]) => `        ${answer} (${n})`).join("\n"));
    assert.deepEqual(counts.notReused, [], "ns_last_pid handed the pid to the newcomer");
    assert.equal(counts.reuses, REUSES);
    assert.deepEqual(counts.reachedBy, {}, "no old PidFd answered for the newcomer");
    assert.equal(counts.pidfdReachedNewcomer, 0);
    assert.equal(counts.processKillReachedNewcomer, REUSES, "the pid alone does reach the newcomer");
    assert.equal(counts.openWithOldIdRefused, REUSES, "PidFd.open(pid, { id }) refuses the reused pid with ESRCH");
    assert.equal(counts.newcomerKilledOnlyByItsOwnPidfd, REUSES, "the old PidFds' SIGKILLs never reached the newcomer");
  });
});
