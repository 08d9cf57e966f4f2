// timeout: 0 is no timeout, as in child_process: the child is never signalled.
import assert from "node:assert/strict";
import { spawn } from "../../host/index.js";

describe("spawn() with timeout 0", () => {
  it("the child runs until it exits by itself, however many loop turns pass", async () => {
    // A 0 ms timer would fire on the first turn of the event loop, long before the child's line
    // reaches us: the child, blocked on its stdin, is still unsignalled when it has written it.
    const child = spawn("sh", ["-c", "echo ready; read line; exit 3"], { timeout: 0, stdio: ["pipe", "pipe", "inherit"] });
    for await (const chunk of child.stdout!) {
      assert.equal(String(chunk), "ready\n");
      break;
    }
    child.stdin!.end("go\n");
    const status = await child.exited;
    assert.equal(status.code, 3);
    assert.equal(child.killed, false);
  });

  it("a negative timeout is a RangeError", () => {
    assert.throws(() => spawn("true", [], { timeout: -1 }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
  });
});
