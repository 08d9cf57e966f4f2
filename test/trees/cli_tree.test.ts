// pidfd tree <pid>: the process and its descendants, indented under their parents, as
// pid:id, user, state and command; --json nests the same. In test/trees (it kills its tree at the
// end, which orphans members to their reaper: see cli_kill_tree.test.ts).
import assert from "node:assert/strict";
import { sevenTree } from "./helpers.js";
import { pidfd } from "../cli/run_cli.js";

interface Node {
  name: string;
  pid: number;
  ppid: number;
  user: { uid: number; name: string | null };
  state: string;
  command: string;
  children: Node[];
}

describe("pidfd tree (cli)", () => {
  it("prints each member under its parent, and --json nests the same tree", async () => {
    const { child, parents } = await sevenTree();
    try {
      const [text, json] = await Promise.all([pidfd("tree", String(child.pid)), pidfd("tree", "--json", String(child.pid))]);
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.trimEnd().split("\n");
      assert.equal(lines.length, 7);
      const stack: number[] = [];
      for (const line of lines) {
        const match = /^( *)(\d+):(\d+)  (\S+)  (S \(sleeping\))  (sh|sleep)$/.exec(line);
        assert.ok(match, line);
        const depth = match[1]!.length / 2;
        const pid = Number(match[2]);
        stack.length = depth;
        if (depth > 0) assert.equal(parents.get(pid), stack[depth - 1], `${pid} is indented under its parent`);
        stack.push(pid);
      }
      assert.equal(json.code, 0, json.stderr);
      const root = JSON.parse(json.stdout) as Node;
      const walk = (node: Node, depth: number): number => {
        assert.equal(node.user.uid, process.getuid!());
        if (depth > 0) assert.equal(node.ppid, parents.get(node.pid));
        return 1 + node.children.reduce((n, c) => n + walk(c, depth + 1), 0);
      };
      assert.equal(walk(root, 0), 7);
      assert.equal(root.pid, child.pid);
      assert.equal(root.command, "sh");
    } finally {
      child.pidfd.signalTree("SIGKILL");
      await child.exited;
    }
  });

  it("is an error naming the process for one that does not exist", async () => {
    const { code, stdout, stderr } = await pidfd("tree", "999999999");
    assert.deepEqual({ code, stdout }, { code: 1, stdout: "" });
    assert.match(stderr, /^pidfd: tree 999999999: No such process\n$/);
  });
});
