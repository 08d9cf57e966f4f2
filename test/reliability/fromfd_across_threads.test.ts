// fd ownership is process-wide: PidFd.fromFd() of an fd that a PidFd of another thread owns is
// EBUSY, whichever thread owns it, and the owner's waits go on undisturbed.
import assert from "node:assert/strict";
import { reportOf, runCase, stopCases } from "./run_case.js";

describe("PidFd.fromFd() across threads", () => {
  afterEach(stopCases);

  it("EBUSY in a worker for the main thread's fd and in the main thread for a worker's; the owner's wait still resolves", async () => {
    const report = reportOf(await runCase("fromfd_across_threads")) as { adoptedInWorker: string; adoptedInMain: string; childExit: number };
    assert.equal(report.adoptedInWorker, "EBUSY");
    assert.equal(report.adoptedInMain, "EBUSY");
    assert.equal(report.childExit, 0);
  });
});
