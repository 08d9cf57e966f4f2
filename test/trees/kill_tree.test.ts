// pf.killTree(): every member signalled through its own pidfd and waited for, one result each;
// members that ignore the first signal get the escalation; what a handler forks after the first
// signal is taken in and killed; nothing of the tree is left.
import assert from "node:assert/strict";
import { spawn } from "../../host/index.js";
import { sessionMembers, sevenTree, membersSaid } from "./helpers.js";

describe("PidFd.killTree(): the whole tree, one result per member", () => {
  it("SIGTERM reaches every member; each result has its pid, id, ppid, signals, and the exit", async () => {
    const { child, parents } = await sevenTree({ detached: true });
    const results = await child.pidfd.killTree({ timeout: 20000 });
    assert.deepEqual(new Map(results.map((r) => [r.pid, r.ppid])), new Map([...parents].map(([pid, ppid]) => [pid, pid === child.pid ? process.pid : ppid])));
    for (const result of results) {
      assert.deepEqual(result.signals, ["SIGTERM"]);
      assert.equal(result.exited, true);
      assert.equal(typeof result.id, "bigint");
    }
    assert.equal(results[0]!.status?.signal, "SIGTERM", "the root, our child, is reaped with its status");
    assert.equal((await child.exited).signal, "SIGTERM");
    assert.deepEqual(sessionMembers(child.pid), [], "nothing of the tree still runs");
  });

  it("members that ignore SIGTERM get SIGKILL once the timeout has passed", async () => {
    const { child } = await sevenTree({ detached: true });
    // sh ignores SIGTERM from now on in every member: sleep and sh inherit SIG_IGN through exec.
    const ignoring = spawn("sh", ["-c", "trap '' TERM; echo $$ $PPID; sh -c 'echo $$ $PPID; exec sleep infinity' & wait"],
      { stdio: ["ignore", "pipe", "inherit"], detached: true });
    await membersSaid(ignoring, 2);
    const results = await ignoring.pidfd.killTree({ timeout: 50 });
    assert.equal(results.length, 2);
    for (const result of results) {
      assert.deepEqual(result.signals, ["SIGTERM", "SIGKILL"]);
      assert.equal(result.exited, true);
    }
    assert.equal((await ignoring.exited).signal, "SIGKILL");
    child.pidfd.signalTree("SIGKILL");
    await child.exited;
  });

  it("a child forked by a SIGTERM handler joins the tree and is killed with it", async () => {
    const forking = spawn("sh", ["-c", "trap 'sh -c \"echo \\$\\$ \\$PPID; exec sleep infinity\" &' TERM; echo $$ $PPID; while :; do read _; done"],
      { stdio: ["pipe", "pipe", "inherit"], detached: true });
    const [root] = [...(await membersSaid(forking, 1)).keys()];
    const first = forking.pidfd.signalTree("SIGTERM");
    assert.deepEqual(first.map((r) => r.pid), [root]);
    const after = await membersSaid(forking, 1);
    const [forked] = [...after.keys()];
    assert.equal(after.get(forked!), root);
    const results = await forking.pidfd.killTree({ signal: "SIGKILL" });
    assert.deepEqual(results.map((r) => [r.pid, r.signals, r.exited]), [[root, ["SIGKILL"], true], [forked, ["SIGKILL"], true]]);
    assert.deepEqual(sessionMembers(forking.pid), [], "nothing of the tree still runs");
  });

  it("refuses the tree of this process (EINVAL), and rejects bad options", async () => {
    const { PidFd } = await import("../../host/index.js");
    using self = PidFd.self();
    await assert.rejects(self.killTree(), { code: "EINVAL" });
    assert.throws(() => self.signalTree("SIGCONT"), { code: "EINVAL" });
    await assert.rejects(self.killTree({ timeout: -1 }), { code: "ERR_OUT_OF_RANGE" });
    await assert.rejects(self.killTree({ bogus: 1 } as never), { code: "ERR_INVALID_ARG_VALUE" });
  });
});
