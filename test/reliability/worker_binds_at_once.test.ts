// In a worker, a koffi backend binds every C function it may call when it is made: a terminate()
// that lands in a bind aborts the process (koffi#190), so no bind may wait for a first call
// somewhere in the worker's life. The main thread binds the process half on first use.
import assert from "node:assert/strict";
import { runCase } from "./run_case.js";

describe("a worker's koffi backend", () => {
  it("binds its functions at once when made: using them binds nothing more (the main thread binds on use)", async () => {
    const { code, report, stderr } = await runCase("bind_counts");
    assert.equal(code, 0, stderr);
    const { main, worker } = report as Record<"main" | "worker", { atMake: number; addedByUse: number }>;
    assert.equal(worker.addedByUse, 0, "nothing bound on a first call in the worker");
    assert.ok(main.addedByUse > 0, "the main thread binds the process half on first use");
    assert.ok(worker.atMake >= main.atMake + main.addedByUse, `the worker bound them up front: ${JSON.stringify(report)}`);
  });
});
