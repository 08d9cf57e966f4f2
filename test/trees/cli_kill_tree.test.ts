// pidfd kill --tree: the named process and every descendant get the signal, each through its
// own pidfd (--verbose names each one). In test/trees, not test/cli: killing a tree orphans its
// members to their reaper, which under npm run test:stress (a subreaper) counts as left behind.
import assert from "node:assert/strict";
import { pidfd } from "../cli/run_cli.js";
import { sessionMembers, sevenTree } from "./helpers.js";

describe("pidfd kill --tree (cli)", () => {
  it("kill --tree --wait --verbose signals and waits for every member", async () => {
    const { child, parents } = await sevenTree({ detached: true });
    const { code, stdout, stderr } = await pidfd("kill", "--tree", "--wait", "--verbose", String(child.pid));
    assert.equal(code, 0, stderr);
    const named = stdout.trimEnd().split("\n").map((line) => Number(/^sending signal 15 to pid (\d+):\d+$/.exec(line)?.[1]));
    assert.deepEqual(named.sort(), [...parents.keys()].sort());
    assert.equal((await child.exited).signal, "SIGTERM");
    assert.deepEqual(sessionMembers(child.pid), []);
  });

  it("kill --tree self (a tree that holds pidfd itself) is refused, with the reason", async () => {
    const { code, stdout, stderr } = await pidfd("kill", "--tree", "-s", "0", "self");
    assert.deepEqual({ code, stdout }, { code: 1, stdout: "" });
    assert.match(stderr, /^pidfd: kill --tree self: Invalid argument \(process \d+ is this process or one of its ancestors\)\n$/);
  });
});
