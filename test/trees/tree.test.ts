// pf.descendants() and PidFd.tree(): the whole tree, top down, with the pid, id, ppid and pidfd
// of every member as the members themselves report them; the tree closes the pidfds it opened.
import assert from "node:assert/strict";
import { PidFd, type ProcessTree } from "../../host/index.js";
import { sevenTree } from "./helpers.js";

function checkTree(tree: ProcessTree, parents: ReadonlyMap<number, number>, root: number): void {
  assert.equal(tree.root.pid, root);
  assert.deepEqual(new Map(tree.nodes.filter((n) => n !== tree.root).map((n) => [n.pid, n.ppid])),
    new Map([...parents].filter(([pid]) => pid !== root)));
  const seen = new Set<number>();
  for (const node of tree.nodes) {
    assert.equal(node.pidfd.getPid(), node.pid);
    assert.equal(node.id, node.pidfd.getId());
    for (const child of node.children) assert.equal(child.ppid, node.pid);
    if (node !== tree.root) assert.ok(seen.has(node.ppid), "a parent comes before its children");
    seen.add(node.pid);
  }
  assert.equal(tree.nodes.length, 7);
}

describe("PidFd.descendants() and PidFd.tree(): the whole tree", () => {
  it("descendants() is the exact tree; close() closes the pidfds it opened, not the root's", async () => {
    const { child, parents } = await sevenTree();
    try {
      const tree = child.pidfd.descendants();
      checkTree(tree, parents, child.pid);
      assert.equal(tree.root.pidfd, child.pidfd);
      tree.close();
      assert.ok(tree.nodes.slice(1).every((n) => n.pidfd.closed));
      assert.equal(child.pidfd.closed, false);
      tree.close();
    } finally {
      child.pidfd.signalTree("SIGKILL");
      await child.exited;
    }
  });

  it("PidFd.tree(pid) opens the root too, and `using` closes every pidfd", async () => {
    const { child, parents } = await sevenTree();
    let nodes: ProcessTree["nodes"] = [];
    try {
      {
        using tree = PidFd.tree(child.pid);
        checkTree(tree, parents, child.pid);
        assert.notEqual(tree.root.pidfd, child.pidfd);
        nodes = tree.nodes;
      }
      assert.ok(nodes.every((n) => n.pidfd.closed));
    } finally {
      child.pidfd.signalTree("SIGKILL");
      await child.exited;
    }
  });

  it("PidFd.tree(1) holds every process /proc shows under init, each with its parent", () => {
    using tree = PidFd.tree(1);
    const pids = new Set(tree.nodes.map((n) => n.pid));
    assert.ok(pids.has(process.pid), "this process is in init's tree");
    for (const node of tree.nodes.slice(1)) assert.ok(pids.has(node.ppid), `the parent of ${node.pid} is in the tree`);
  });
});
