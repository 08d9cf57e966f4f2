// `await using`: a child that still runs is sent killSignal, waited for and reaped; then the
// Subprocess is closed. A child that has exited already is only closed.
import assert from "node:assert/strict";
import { spawn, type Subprocess } from "../../host/index.js";
import { isOurChild } from "./helpers.js";

describe("Subprocess [Symbol.asyncDispose]", () => {
  it("a running child: killSignal, then the wait, then close", async () => {
    let child!: Subprocess;
    {
      await using running = spawn("sleep", ["infinity"], { stdio: "ignore", killSignal: "SIGINT" });
      child = running;
    }
    assert.equal(child.pidfd.closed, true);
    assert.equal(isOurChild(child.pid), false, "reaped");
    const status = await child.exited;
    assert.equal(status.signal, "SIGINT");
  });

  it("a child that has exited: its status stays, the Subprocess is closed", async () => {
    let child!: Subprocess;
    {
      await using done = spawn("sh", ["-c", "exit 4"], { stdio: "ignore" });
      child = done;
      assert.equal((await done.exited).code, 4);
    }
    assert.equal(child.pidfd.closed, true);
    assert.equal((await child.exited).code, 4);
  });
});
