// Run by kill_forking_tree.test.ts as PID 1 of a new pid namespace (unshare --pid --fork
// --mount-proc), where the pid allocator is ours (ns_last_pid): a stranger is given the pid of a
// reaped child that a stale list of children still names, then trees whose members fork and
// exit without end are killed. Prints one JSON line of what it saw.
import fs from "node:fs";
import { PidFd, spawn, type Subprocess } from "../../host/index.js";
import { childPidsIn, verifiedChildren } from "../../host/tree.js";
import { procStatus, until } from "../util.js";
import { membersSaid, sessionMembers } from "./helpers.js";

const NS_LAST_PID = "/proc/sys/kernel/ns_last_pid";

/** Whether a process we stopped has been sent nothing since (still stopped, nothing pending). */
function untouched(pid: number): boolean {
  const status = procStatus(pid);
  return status?.get("State")?.[0] === "T" && /^0+$/.test(status.get("SigPnd")!) && /^0+$/.test(status.get("ShdPnd")!);
}

/** Waits until nothing of session `session` is left, zombies included, taking each member's exit through a pidfd. */
async function untilSessionEmpty(session: number): Promise<number> {
  let rounds = 0;
  for (let members = sessionMembers(session, true); members.length > 0; members = sessionMembers(session, true)) {
    rounds++;
    await Promise.all(members.map(async (pid) => {
      let pidfd: PidFd;
      try {
        pidfd = PidFd.open(pid);
      } catch {
        return; // reaped meanwhile
      }
      try {
        await pidfd.waitAsync({ reapGrace: 0 });
      } finally {
        pidfd.close();
      }
    }));
    await until(() => sessionMembers(session, true).every((pid) => !members.includes(pid) || procStatus(pid)?.get("State")?.[0] !== "Z"));
  }
  return rounds;
}

const report: Record<string, unknown> = {};

// 1. A stale list of children names a pid that now belongs to a stranger.
const parent = spawn("sh", ["-c", "sh -c 'echo $$ $PPID; exec sleep infinity' & wait; echo $$ 0; read _"],
  { stdio: ["pipe", "pipe", "inherit"] });
const childPid = [...(await membersSaid(parent, 1)).keys()][0]!;
const stale = parent.pidfd.accessProc((dir) => childPidsIn(dir, parent.pid));
report.staleListNamesTheChild = stale.length === 1 && stale[0] === childPid;
{
  using child = PidFd.open(childPid);
  child.kill();
} // the child of a child: its parent reaps it
await membersSaid(parent, 1); // "reaped"
fs.writeFileSync(NS_LAST_PID, String(childPid - 1));
const stranger = spawn("sleep", ["infinity"], { stdio: "ignore" });
report.strangerHasTheChildsPid = stranger.pid === childPid;
stranger.kill("SIGSTOP");
await until(() => procStatus(stranger.pid)?.get("State")?.[0] === "T");
report.staleChildRefused = verifiedChildren(parent.pidfd, parent.pid, stale).length === 0;
report.childrenNow = parent.pidfd.children().length;
const parentKill = await parent.pidfd.killTree({ signal: "SIGKILL" });
report.parentKillHit = parentKill.map((member) => member.pid);

// 2. A tree whose members fork without end, fork and exit (orphans), and exit at once, killed
// through spawn()'s killTree, with this process as their subreaper.
const FORKERS = [
  "sh -c 'while :; do sleep infinity & done' &",
  "sh -c 'while :; do sh -c \"sleep infinity & exit 0\"; done' &",
  "sh -c 'while :; do sh -c \"exit 0\"; done' &",
  "echo $$ $PPID; wait",
].join(" ");
const tree: Subprocess = spawn("sh", ["-c", FORKERS], { stdio: ["ignore", "pipe", "inherit"], killTree: true, subreaper: true });
await membersSaid(tree, 1);
await until(() => sessionMembers(tree.pid).length >= 60);
report.treeKilled = tree.kill("SIGKILL");
report.treeStatus = String(await tree.exited);
report.treeRounds = await untilSessionEmpty(tree.pid);
report.treeLeft = sessionMembers(tree.pid, true);

// 3. The same forking without end, killed through PidFd.killTree() alone.
const forker = spawn("sh", ["-c", "echo $$ $PPID; while :; do sleep infinity & done"], { stdio: ["ignore", "pipe", "inherit"], detached: true });
await membersSaid(forker, 1);
await until(() => sessionMembers(forker.pid).length >= 40);
const forkerKill = await forker.pidfd.killTree({ signal: "SIGTERM" });
report.forkerMembersAllExited = forkerKill.every((member) => member.exited);
report.forkerMembers = forkerKill.length;
report.forkerLeftRunning = sessionMembers(forker.pid);

report.strangerUntouched = untouched(stranger.pid);
stranger.close();
parent.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
