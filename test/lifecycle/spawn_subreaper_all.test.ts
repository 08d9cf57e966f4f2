// spawn({ killTree, subreaper: "all" }): a daemonised descendant (setsid, then orphaned) is in the
// child's tree: killed with it and reaped. With subreaper true it stays outside (known by session).
// A worker's own child in a session of its own, or an orphan of a worker's subreaper tree, is never
// taken; "all" is for the main thread.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { spawn } from "../../host/index.js";

const SCRIPT = fileURLToPath(new URL("./spawn_subreaper_all_script.js", import.meta.url));

describe("spawn({ subreaper: \"all\" }): a daemon that left the child's session is in its tree", () => {
  it("true leaves a setsid'd orphan outside the tree; \"all\" kills and reaps it with the child", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT], { encoding: "utf8", timeout: 15000 });
    assert.deepEqual(JSON.parse(stdout), {
      sessionOnlyLeftSession: true,
      sessionOnlyStatus: "killed by SIGTERM",
      sessionOnlyDaemonSurvives: true,
      sessionOnlyDaemonLeftAZombie: true,
      allLeftSession: true,
      allStatus: "killed by SIGTERM",
      workerRefusedAll: "ENOTSUP",
      allDaemonGone: true,
      nestedInDaemonsSession: true,
      nestedStatus: "killed by SIGTERM",
      workersChildUntouched: true,
      workersOrphanUntouched: true,
      workersStatuses: ["killed by SIGKILL", "killed by SIGKILL"],
      zombiesAfter: [],
    });
  });

  it("takes true, false or \"all\" only", () => {
    assert.throws(() => spawn("true", [], { subreaper: "yes" as "all" }), { code: "ERR_INVALID_ARG_VALUE", message: /true, false or "all"/ });
    assert.throws(() => spawn("true", [], { subreaper: 1 as unknown as boolean }), { code: "ERR_INVALID_ARG_TYPE" });
    assert.throws(() => spawn("true", [], { subreaper: "all", detached: false }), { code: "ERR_INVALID_ARG_VALUE" });
  });
});
