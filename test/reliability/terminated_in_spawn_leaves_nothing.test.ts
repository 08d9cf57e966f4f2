// A worker terminated inside spawn() leaves no child and no fd: posix_spawnp writes the child's
// pid, and pipe2 its fds, into the worker's slot of shared memory, which the sweeper reads
// (host/ownership.ts), so even a child whose pidfd the worker never claimed is killed and reaped,
// with its tree when it was spawned with killTree.
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

interface Report {
  made: { pid?: number; fds?: number[] };
  childrenWhileStopped: number[];
  leftFds: string[];
  leftChildren: number[];
  grandchildEnd?: string;
}

async function terminatedAt(stage: string): Promise<Report> {
  return reportOf(await runCase("terminated_in_spawn", stage)) as Report;
}

describe("a worker terminated inside spawn()", () => {
  afterEach(stopCases);

  it("right after pipe2: both ends of the child's stdin pipe are closed", async () => {
    const report = await terminatedAt("pipe");
    assert.equal(report.made.fds?.length, 2);
    assert.deepEqual(report.childrenWhileStopped, []);
    assert.deepEqual(report.leftFds, [], "fds left behind");
  });

  it("right after posix_spawnp, before the child's pidfd exists: the child is killed and reaped, its pipe closed", async () => {
    const report = await terminatedAt("spawn");
    assert.ok(report.made.pid! > 0);
    assert.deepEqual(report.childrenWhileStopped, [report.made.pid], "the child ran while the worker was stopped");
    assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
    assert.deepEqual(report.leftFds, [], "fds left behind");
  });

  it("right after posix_spawnp of a killTree child that has forked: its child is killed too, nothing left", async () => {
    const report = await terminatedAt("tree-spawn");
    assert.deepEqual(report.childrenWhileStopped, [report.made.pid]);
    assert.ok(report.grandchildEnd === "SIGKILL" || report.grandchildEnd === "exited", `the child's child: ${report.grandchildEnd}`);
    assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
    assert.deepEqual(report.leftFds, [], "fds left behind");
  });

  it("with the child's pidfd marked but spawn() not returned: the child is killed and reaped once, nothing left", async () => {
    const report = await terminatedAt("id");
    assert.deepEqual(report.childrenWhileStopped, [report.made.pid]);
    assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
    assert.deepEqual(report.leftFds, [], "fds left behind");
  });

  it("60 workers terminated at whatever point of a spawn-and-close loop: the process survives each, no child is left", async () => {
    const result = await runCase("terminated_spawn_loops", "60");
    const report = reportOf(result) as { workers: number; leftChildren: number[] };
    assert.equal(report.workers, 60);
    assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
  });
});
