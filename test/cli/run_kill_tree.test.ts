// pidfd run --kill-tree: the timeout's signal reaches the command's descendants too, and pidfd run,
// a child subreaper then, reaps every member.
import assert from "node:assert/strict";
import { sessionMembers } from "../trees/helpers.js";
import { pidfd } from "./run_cli.js";

describe("pidfd run --kill-tree (cli)", () => {
  it("run --kill-tree --timeout: the timeout's signal reaches the command's descendants too", async () => {
    const script = "sh -c 'exec sleep infinity' & sh -c 'exec sleep infinity' & echo $$; wait";
    const { code, stdout, stderr } = await pidfd("run", "--kill-tree", "--timeout", "50ms", "--", "sh", "-c", script);
    assert.equal(code, 124, stderr);
    const session = Number(stdout.trim());
    assert.deepEqual(sessionMembers(session, true), [], "no member of the command's session is left, not even a zombie");
  });
});
