// pidfd run --preserve-status exits with the command's own status even when the timeout fired,
// as timeout --preserve-status: 128+n for the timeout signal n, 137 for --kill-after's SIGKILL.
import assert from "node:assert/strict";
import { pidfd } from "./run_cli.js";

describe("pidfd run --preserve-status (cli)", () => {
  it("timed out: 143 (killed by the timeout's SIGTERM) instead of 124; 137 when --kill-after's SIGKILL killed it", async () => {
    const [terminated, killed, plain] = await Promise.all([
      pidfd("run", "--preserve-status", "--timeout", "100ms", "sleep", "30"),
      // sleep outlives SIGWINCH (ignored by default), so --kill-after's SIGKILL is what ends it.
      pidfd("run", "--preserve-status", "--timeout", "100ms", "-k", "100ms", "-s", "WINCH", "sleep", "30"),
      pidfd("run", "--preserve-status", "--timeout", "1h", "sh", "-c", "exit 3"),
    ]);
    assert.deepEqual(terminated, { code: 143, stdout: "", stderr: "" });
    assert.deepEqual(killed, { code: 137, stdout: "", stderr: "" });
    assert.deepEqual(plain, { code: 3, stdout: "", stderr: "" });
  });
});
