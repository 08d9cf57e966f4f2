// A worker that ends (terminated, or by process.exit()) while a child it spawned with killTree
// runs: the child's whole tree is killed, not the child alone, and every process of it that is a
// child of ours (the child, an orphan reparented to us with subreaper) is reaped.
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

interface Ends {
  members: number;
  orphans: number;
  exitCode: number;
  ends: string[];
  leftChildren: number[];
}

describe("a worker that ends while a killTree child's tree runs", () => {
  afterEach(stopCases);

  for (const mode of ["terminate", "process.exit"]) {
    for (const variant of ["", "subreaper"]) {
      it(`${mode}()${variant ? " with subreaper (an orphan reparented to us)" : ""}: every process of the tree is killed, none left`, async () => {
        const report = reportOf(await runCase("kill_tree_worker_end", mode, variant)) as Ends;
        assert.equal(report.members, 3);
        assert.equal(report.orphans, variant ? 1 : 0);
        assert.equal(report.exitCode, mode === "terminate" ? 1 : 0);
        assert.equal(report.ends.length, report.members + report.orphans);
        // Without subreaper, the tree's processes are orphaned to init: their status may not be seen.
        const killed = (end: string): boolean => end === "SIGKILL" || (!variant && end === "exited");
        assert.deepEqual(report.ends.filter((end) => !killed(end)), [], "processes of the tree not killed");
        assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
      });
    }
  }
});
