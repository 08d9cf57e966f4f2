// A worker that ends while a tree kill of its has a process stopped leaves it running again: its
// own 'exit' (process.exit()) or, after terminate(), the creating thread's sweep sends SIGCONT.
import assert from "node:assert/strict";
import { runCase } from "./run_case.js";

describe("a worker that ends with a tree kill's SIGSTOP not yet undone", () => {
  for (const mode of ["terminate", "exit"]) {
    it(`${mode}: the stopped process is continued`, async () => {
      const { code, report, stderr } = await runCase("stopped_by_ended_worker", mode);
      assert.equal(code, 0, stderr);
      assert.notEqual((report as { stateAfter: string }).stateAfter, "T");
      assert.ok(["R", "S"].includes((report as { stateAfter: string }).stateAfter), JSON.stringify(report));
    });
  }

  it("a tree the worker stopped on purpose (signalTree(\"SIGSTOP\")) stays stopped after its exit", async () => {
    const { code, report, stderr } = await runCase("stopped_by_ended_worker", "on-purpose");
    assert.equal(code, 0, stderr);
    assert.deepEqual(report, { stateAfter: "T" });
  });
});
