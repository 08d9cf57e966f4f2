// pf.children(): pidfds of exactly the direct children /proc lists, each naming a process whose
// parent is pf's, owned by the caller; ESRCH once pf's process is gone.
import assert from "node:assert/strict";
import { PidFdError } from "../../host/index.js";
import { childrenOf } from "../lifecycle/helpers.js";
import { sevenTree } from "./helpers.js";

describe("PidFd.children(): the direct children, each verified", () => {
  it("gives one pidfd per direct child, as /proc/<pid>/task/*/children lists them, and none for a leaf", async () => {
    const { child, parents } = await sevenTree();
    try {
      const expected = [...parents].filter(([, ppid]) => ppid === child.pid).map(([pid]) => pid).sort();
      const children = child.pidfd.children();
      try {
        assert.deepEqual(children.map((c) => c.getPid()).sort(), expected);
        assert.deepEqual(childrenOf(child.pid).sort(), expected);
        for (const c of children) assert.equal(c.getPpid(), child.pid);
        const leaves = children.flatMap((middle) => middle.children());
        try {
          assert.equal(leaves.length, 4);
          for (const leaf of leaves) assert.deepEqual(leaf.children(), []);
        } finally {
          for (const leaf of leaves) leaf.close();
        }
      } finally {
        for (const c of children) c.close();
      }
      assert.ok(children.every((c) => c.closed), "the caller's close() closes them");
    } finally {
      child.pidfd.signalTree("SIGKILL");
      await child.exited;
    }
  });

  it("is ESRCH once the process has been reaped", async () => {
    const { child } = await sevenTree();
    child.pidfd.signalTree("SIGKILL");
    await child.exited;
    assert.throws(() => child.pidfd.children(), (error: unknown) => error instanceof PidFdError && error.code === "ESRCH");
  });
});
