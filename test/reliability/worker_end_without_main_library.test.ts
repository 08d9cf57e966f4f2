// A worker that used spawn() and waitAsync() ends without crashing a process whose main thread
// never loaded the library (koffi's code outlives the worker's event loop).
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

describe("a worker's end, in a process whose main thread never loaded the library", () => {
  afterEach(stopCases);

  it("a worker whose child exited and whose loop ran dry ends; the process lives on", async () => {
    const report = reportOf(await runCase("worker_end", "end")) as { exitCode: number };
    assert.equal(report.exitCode, 0);
  });

  it("a worker terminated with a wait pending ends; the process lives on", async () => {
    const report = reportOf(await runCase("worker_end", "terminate")) as { exitCode: number };
    assert.equal(report.exitCode, 1); // terminate()'s exit code
  });
});
