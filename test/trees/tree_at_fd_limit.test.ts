// PidFd.tree() of kthreadd reads one scan of /proc, which holds a pidfd of every process at
// once; where the fd limit cannot hold that many, it falls back to the children files, which
// hold only the members': the tree is read all the same, and no fd is left.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const SCRIPT = fileURLToPath(new URL("./fd_limit_tree_script.js", import.meta.url));

describe("PidFd.tree(2) at an fd limit below one pidfd a process", () => {
  it("falls back from the scan of /proc to the children files: the whole tree, no fd left", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT], { encoding: "utf8" });
    const report = JSON.parse(stdout) as Record<string, any>;
    assert.ok(report.scanNeeds > report.limit, `the limit ${report.limit} must be below the scan's ${report.scanNeeds} fds (init's tree too small here?)`);
    assert.equal(report.error, undefined);
    assert.ok(Math.abs(report.nodes - 1 - report.kernelThreads) <= 3, `kthreadd and its ${report.kernelThreads} children: ${report.nodes} nodes`);
    assert.equal(report.allUnderKthreadd, true);
    assert.equal(report.fdsAfter, 0);
  });
});
