// A saved identity never names the process that reuses its pid. In a new pid namespace (so that
// the pid allocator is ours), 50 times: a child's pidfile and handle are saved, the child exits
// and is reaped, its pid goes to a newcomer, and the pidfile and handle give ESRCH; the same pid
// in a bare-pid pidfile, opened with { legacy: true }, names the newcomer. Needs root.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runInPidNamespace } from "../lifecycle/helpers.js";

const SCRIPT = fileURLToPath(new URL("./saved_identity_reuse_script.js", import.meta.url));
const REUSES = 50;

describe("pidfiles and handles of a reused pid", () => {
  it(`${REUSES} reuses: fromPidfile() and fromHandle() give ESRCH, never the newcomer`, async function () {
    this.timeout(120000);
    const counts = JSON.parse(await runInPidNamespace(SCRIPT, [String(REUSES)], 110000)) as
      { reuses: number; notReused: unknown[]; outcomes: Record<string, number> };
    assert.deepEqual(counts.notReused, [], "ns_last_pid handed the pid to the newcomer");
    assert.deepEqual(counts.outcomes, {
      "fromPidfile: ESRCH": REUSES,
      "fromHandle: ESRCH": REUSES,
      "fromPidfile of the bare pid: ENODATA": REUSES,
      "fromPidfile of the bare pid, { legacy: true }: opened the newcomer": REUSES,
    });
  });
});
