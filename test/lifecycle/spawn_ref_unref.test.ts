// unref() lets the event loop end while the child runs, as ChildProcess.unref() does (the child
// then runs on); ref() undoes it. Each case runs in a pid namespace of its own (root: unshare),
// whose end kills and reaps what the script left running.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runInPidNamespace } from "./helpers.js";

const SCRIPT = fileURLToPath(new URL("./unref_script.js", import.meta.url));

describe("Subprocess ref() and unref()", function () {
  before(function () {
    if (process.getuid!() !== 0) this.skip();
  });

  it("unref(): the script ends by itself while its child still runs", async () => {
    const out = await runInPidNamespace(SCRIPT, ["unref"], 15000);
    assert.equal(out, "loop ended; child alive: true\n");
  });

  it("after children awaited one after another, the loop ends by itself", async () => {
    const out = await runInPidNamespace(SCRIPT, ["sequence"], 15000);
    assert.equal(out, "three children awaited one after another\nloop ended; child alive: false\n");
  });

  it("ref() after unref(): the child's exit keeps the loop alive until exited resolves", async () => {
    const out = await runInPidNamespace(SCRIPT, ["ref"], 15000);
    assert.equal(out, "exited: killed by SIGKILL\nloop ended; child alive: false\n");
  });
});
