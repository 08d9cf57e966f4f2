// exitCode, signalCode and killed answer as ChildProcess's do: null / false while the child runs,
// then the code or the signal's name once the exit is known; killed once a signal was sent.
import assert from "node:assert/strict";
import { spawn as nodeSpawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { spawn, type Subprocess } from "../../host/index.js";

function fields(child: Subprocess | ChildProcess) {
  return { exitCode: child.exitCode, signalCode: child.signalCode, killed: child.killed };
}

describe("Subprocess exitCode, signalCode and killed", () => {
  it("an exit by itself: the code, no signal, not killed (as child_process)", async () => {
    const ours = spawn("sh", ["-c", "exit 3"], { stdio: "ignore" });
    const node = nodeSpawn("sh", ["-c", "exit 3"], { stdio: "ignore" });
    assert.deepEqual(fields(ours), { exitCode: null, signalCode: null, killed: false });
    await Promise.all([ours.exited, once(node, "exit")]);
    assert.deepEqual(fields(ours), fields(node));
    assert.deepEqual(fields(ours), { exitCode: 3, signalCode: null, killed: false });
  });

  it("kill(): true and killed, then the signal's name (as child_process); false once reaped", async () => {
    const ours = spawn("sleep", ["infinity"], { stdio: "ignore" });
    const node = nodeSpawn("sleep", ["infinity"], { stdio: "ignore" });
    assert.equal(ours.kill(), node.kill());
    assert.equal(ours.killed, true);
    await Promise.all([ours.exited, once(node, "exit")]);
    assert.deepEqual(fields(ours), fields(node));
    assert.deepEqual(fields(ours), { exitCode: null, signalCode: "SIGTERM", killed: true });
    assert.equal(ours.kill(), false, "nothing to signal once reaped");
  });

  it("a kill by timeout counts as killed", async () => {
    const ours = spawn("sleep", ["infinity"], { stdio: "ignore", timeout: 1, killSignal: "SIGKILL" });
    await ours.exited;
    assert.deepEqual(fields(ours), { exitCode: null, signalCode: "SIGKILL", killed: true });
  });
});
