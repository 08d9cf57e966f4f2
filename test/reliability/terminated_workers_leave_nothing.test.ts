// Workers terminated with waits pending leave no fd (pidfds, epoll sets) and no child, alive or
// zombie: the thread that created them sweeps up after them.
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

describe("terminated workers", () => {
  afterEach(stopCases);

  it("8 workers x 5 spawned children with pending waits: after terminate() no fd and no child is left", async () => {
    const report = reportOf(await runCase("terminated_workers")) as { spawned: number; leftFds: string[]; leftChildren: number[] };
    assert.equal(report.spawned, 40);
    assert.deepEqual(report.leftFds, [], "fds left behind");
    assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
  });
});
