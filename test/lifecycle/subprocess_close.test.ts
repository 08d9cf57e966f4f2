// Subprocess.close() and [Symbol.dispose]: a child that still runs is killed and reaped (never a
// zombie), the pidfd closed, the streams destroyed; `exited` resolves with the SIGKILL status.
import assert from "node:assert/strict";
import { once } from "node:events";
import { spawn } from "../../host/index.js";
import { openFds } from "../util.js";
import { isOurChild } from "./helpers.js";

describe("Subprocess.close()", () => {
  it("kills and reaps a running child: exited resolves SIGKILL, no zombie, no fd", async () => {
    const before = openFds().length;
    const child = spawn("sleep", ["infinity"], { stdio: ["pipe", "pipe", "pipe"] });
    child.close();
    assert.equal(isOurChild(child.pid), false, "reaped, not a zombie");
    assert.equal((await child.exited).signal, "SIGKILL");
    assert.equal(child.pidfd.closed, true);
    assert.ok(child.stdout!.destroyed && child.stderr!.destroyed && child.stdin!.destroyed);
    await once(child.stdout!, "close");
    assert.equal(openFds().length, before);
    child.close(); // twice: nothing
  });

  it("a child that already exited keeps its own status", async () => {
    const child = spawn("sh", ["-c", "exit 3"], { stdio: "ignore" });
    const status = await child.exited;
    child.close();
    assert.equal(status.code, 3);
  });

  it("`using` disposes: the child is gone at the end of the block", () => {
    let pid: number;
    {
      using child = spawn("sleep", ["infinity"], { stdio: "ignore" });
      pid = child.pid;
      assert.equal(isOurChild(pid), true);
    }
    assert.equal(isOurChild(pid), false);
  });

  it("closing the Subprocess's pidfd is closing the Subprocess: the child never stays a zombie", async () => {
    const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
    child.pidfd.close();
    assert.equal(isOurChild(child.pid), false);
    assert.equal((await child.exited).signal, "SIGKILL");
  });
});
