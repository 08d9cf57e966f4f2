// PidFd.tree() of a root whose parent is outside our pid namespace (init, kthreadd) reads the
// tree from one scan of /proc: the same exact tree, parent first, as the children files give.
// In a pid namespace of its own, PidFd.tree(1) is exactly every process there, zombie and orphan
// included; in ours, init's tree and kthreadd's are apart and together hold every process.
// Needs root (unshare --pid).
import assert from "node:assert/strict";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { PidFd } from "../../host/index.js";
import { runInPidNamespace } from "../lifecycle/helpers.js";
import { openFds } from "../util.js";

const SCRIPT = fileURLToPath(new URL("./init_tree_script.js", import.meta.url));

/** The pids /proc lists now. */
function listed(): Set<number> {
  return new Set(fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number));
}

describe("PidFd.tree() of init and of kthreadd: one scan of /proc", () => {
  it("in a pid namespace, tree(1) is exactly every process there, each with its parent", async function () {
    this.timeout(30000);
    const report = JSON.parse(await runInPidNamespace(SCRIPT, [], 25000)) as Record<string, any>;
    assert.deepEqual(report.found, report.truth, "the tree's pid -> ppid is /proc's, process for process");
    assert.equal(Object.keys(report.truth).length, 1 + 7 + 2 + 1, "PID 1, the tree of seven, the zombie and its parent, the orphan");
    assert.equal(report.rootPpid, 0);
    assert.equal(report.parentsFirst, true);
    assert.equal(report.childrenMatch, true);
    assert.equal(report.idsMatch, true);
    assert.equal(report.pidsMatch, true);
    assert.deepEqual(report.zombie, { pid: report.zombie.pid, inTree: true, state: "Z" }, "the zombie is a member, under its parent");
    assert.equal(report.orphan.underRoot, true, "the orphan is a child of PID 1");
    assert.equal(report.fdsHeld, Object.keys(report.truth).length, "one pidfd a member (PidFd.tree(1) opened the root too), none of other processes");
    assert.equal(report.fdsAfterClose, 0);
  });

  it("in ours, init's tree and kthreadd's are apart, and hold every process that outlives the walk", () => {
    const before = listed();
    const fds = openFds().length;
    using init = PidFd.tree(1);
    using kthreadd = PidFd.tree(2);
    const after = listed();
    const inInit = new Set(init.nodes.map((node) => node.pid));
    const inKthreadd = new Set(kthreadd.nodes.map((node) => node.pid));
    assert.ok(inInit.has(process.pid));
    assert.ok(!inKthreadd.has(process.pid));
    for (const pid of inInit) assert.ok(!inKthreadd.has(pid), `${pid} is in one tree only`);
    for (const pid of before) {
      if (after.has(pid)) assert.ok(inInit.has(pid) || inKthreadd.has(pid), `${pid}, listed before and after, is in a tree`);
    }
    for (const node of kthreadd.nodes.slice(1)) assert.equal(node.pidfd.getPpid(), node.ppid);
    assert.equal(openFds().length - fds, init.nodes.length + kthreadd.nodes.length, "a pidfd a member, no other");
  });
});
