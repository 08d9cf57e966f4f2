// A worker terminated while its tree kill sends its signal: the sweeper finishes the kill. Each
// member the kill had stopped and not signalled yet gets the signal, then every member SIGCONT, so
// each acts on the signal once (host/threads.ts, "stopped" and "signalled" fds).
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

describe("a worker terminated inside signalTree()", () => {
  afterEach(stopCases);

  it("after the root's SIGTERM: the sweep sends it to the two members it had not reached, and continues all three", async () => {
    const report = reportOf(await runCase("terminated_in_tree_kill")) as { sleeps: number; ends: string[]; sh: string | number };
    assert.equal(report.sleeps, 2);
    assert.equal(report.sh, "SIGTERM");
    assert.deepEqual(report.ends, ["killed by SIGTERM", "killed by SIGTERM"]);
  });
});
