// pidfd kill --tree: the named process and every descendant get the signal, each through its
// own pidfd (--verbose names each one); run --kill-tree sends the timeout's signal to the tree.
import assert from "node:assert/strict";
import { sessionMembers, sevenTree } from "../trees/helpers.js";
import { pidfd } from "./run_cli.js";

describe("pidfd kill --tree and run --kill-tree (cli)", () => {
  it("kill --tree --wait --verbose signals and waits for every member", async () => {
    const { child, parents } = await sevenTree({ detached: true });
    const { code, stdout, stderr } = await pidfd("kill", "--tree", "--wait", "--verbose", String(child.pid));
    assert.equal(code, 0, stderr);
    const named = stdout.trimEnd().split("\n").map((line) => Number(/^sending signal 15 to pid (\d+):\d+$/.exec(line)?.[1]));
    assert.deepEqual(named.sort(), [...parents.keys()].sort());
    assert.equal((await child.exited).signal, "SIGTERM");
    assert.deepEqual(sessionMembers(child.pid), []);
  });

  it("run --kill-tree --timeout: the timeout's signal reaches the command's descendants too", async () => {
    const script = "sh -c 'exec sleep infinity' & sh -c 'exec sleep infinity' & echo $$; wait";
    const { code, stdout, stderr } = await pidfd("run", "--kill-tree", "--timeout", "50ms", "--", "sh", "-c", script);
    assert.equal(code, 124, stderr);
    const session = Number(stdout.trim());
    assert.deepEqual(sessionMembers(session, true), [], "no member of the command's session is left, not even a zombie");
  });
});
