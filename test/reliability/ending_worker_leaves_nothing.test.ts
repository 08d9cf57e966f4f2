// A worker that ends by itself cleans up at its 'exit', with no help from another thread: its
// epoll set and PidFds are closed, the children it spawned that still run are killed and reaped.
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

interface Left {
  spawned: number;
  leftFds: string[];
  leftChildren: number[];
}

describe("a worker that ends by itself", () => {
  afterEach(stopCases);

  it("its loop ran dry (children exited, a PidFd left open): no fd is left, not even its epoll set", async () => {
    const report = reportOf(await runCase("worker_exit", "natural")) as Left;
    assert.equal(report.spawned, 2);
    assert.deepEqual(report.leftFds, [], "fds left behind");
    assert.deepEqual(report.leftChildren, []);
  });

  it("a PidFd left open at a high fd number (5000) is closed at its end too", async () => {
    const report = reportOf(await runCase("worker_exit", "high-fd")) as Left;
    assert.equal(report.spawned, 1);
    assert.deepEqual(report.leftFds, [], "fds left behind");
    assert.deepEqual(report.leftChildren, []);
  });

  it("process.exit() while its children run: they are killed and reaped, no fd is left", async () => {
    const report = reportOf(await runCase("worker_exit", "process.exit")) as Left;
    assert.equal(report.spawned, 3);
    assert.deepEqual(report.leftChildren, [], "children left behind (alive or zombie)");
    assert.deepEqual(report.leftFds, [], "fds left behind");
  });
});
