// waitAsync() on a zombie that is not our child, reparented to this process (a child subreaper)
// while the wait is in its reapGrace: nobody else will reap it, so the wait reaps it as a child
// (reaping "reap") at the grace's end instead of resolving null.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const SCRIPT = fileURLToPath(new URL("./wait_async_zombie_reparented_script.js", import.meta.url));

describe("waitAsync() on a zombie reparented to this process during its reapGrace", () => {
  it("gets its status and reaps it", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT], { encoding: "utf8", timeout: 20000 });
    assert.deepEqual(JSON.parse(stdout), { status: "exited with code 7", reaped: true });
  });
});
