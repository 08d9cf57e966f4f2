// A tree whose members fork and exit while it is being killed leaves no survivor, and a process
// whose pid was reused (in a pid namespace, through ns_last_pid) is never hit: a stale list of
// children that names its pid is refused, and neither kill reaches it. Needs root (unshare --pid).
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runInPidNamespace } from "../lifecycle/helpers.js";

const SCRIPT = fileURLToPath(new URL("./forking_tree_script.js", import.meta.url));

describe("killing a tree whose members fork and exit, beside a stranger with a reused pid", () => {
  it("no member survives, the orphans are reaped, the stranger is never signalled", async function () {
    this.timeout(60000);
    const report = JSON.parse(await runInPidNamespace(SCRIPT, [], 50000)) as Record<string, unknown>;
    console.log(`      forking tree: killed, emptied in ${report.treeRounds} rounds; killTree() of a forker: ${report.forkerMembers} members`);
    assert.equal(report.staleListNamesTheChild, true);
    assert.equal(report.strangerHasTheChildsPid, true, "ns_last_pid handed the child's pid to the stranger");
    assert.equal(report.staleChildRefused, true, "the stale child pid is refused once it names the stranger");
    assert.equal(report.childrenNow, 0);
    assert.equal((report.parentKillHit as number[]).length, 1, "the parent's tree is the parent alone");
    assert.equal(report.treeKilled, true);
    assert.equal(report.treeStatus, "killed by SIGKILL");
    assert.deepEqual(report.treeLeft, [], "nothing of the forking tree is left, not even a zombie");
    assert.equal(report.forkerMembersAllExited, true);
    assert.ok((report.forkerMembers as number) >= 40);
    assert.deepEqual(report.forkerLeftRunning, [], "no member of the killTree()d tree still runs");
    assert.equal(report.strangerUntouched, true, "the stranger holding the reused pid received no signal");
  });
});
