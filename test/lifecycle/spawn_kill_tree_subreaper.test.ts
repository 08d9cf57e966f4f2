// spawn({ killTree, subreaper }): a grandchild orphaned when its parent exits comes back to us
// and is reaped when it exits (no zombie left); kill() reaches the orphans of the child's
// session too; subreaper with detached: false is refused.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { spawn } from "../../host/index.js";

const SCRIPT = fileURLToPath(new URL("./spawn_subreaper_script.js", import.meta.url));

describe("spawn({ killTree, subreaper }): orphans come back to us and are reaped", () => {
  it("an orphaned grandchild is adopted and reaped at its exit; kill() reaches the orphans; no zombie", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT], { encoding: "utf8", timeout: 15000 });
    assert.deepEqual(JSON.parse(stdout), {
      childExit: 0,
      orphanInChildsSession: true,
      zombiesAfterOrphanExit: [],
      killed: true,
      killStatus: "killed by SIGTERM",
      zombiesAfterKill: [],
    });
  });

  it("refuses subreaper with detached: false", () => {
    assert.throws(() => spawn("true", [], { subreaper: true, detached: false }), { code: "ERR_INVALID_ARG_VALUE" });
  });
});
