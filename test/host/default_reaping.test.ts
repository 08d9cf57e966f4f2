// Who reaps by default: PidFd.open() and fromChild() observe, so Node still reaps; thread ids.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFd, PidFdError } from "../../host/index.js";
import { exitOf, spawnShell } from "../util.js";

describe("default reaping", () => {
  it("PidFd.open() of a child_process child observes: waitAsync gets the status and Node's 'exit' still fires", async () => {
    const child = await spawnShell("read line; exit 5");
    using pidfd = PidFd.open(child.pid!);
    assert.equal(pidfd.reaping, "observe");
    const exit = exitOf(child);
    child.stdin!.end("go\n");
    assert.equal((await pidfd.waitAsync())?.code, 5);
    assert.deepEqual(await exit, [5, null]);
  });

  it("PidFd.fromChild() refuses a child that libuv has already reaped", async () => {
    const child = await spawnShell("exit 0");
    await exitOf(child);
    assert.throws(() => PidFd.fromChild(child), { code: "ESRCH" });
  });

  it("a thread id without { thread: true } is ENOENT, and the message says so", async () => {
    const tids = fs.readdirSync("/proc/self/task").map(Number).filter((tid) => tid !== process.pid);
    assert.ok(tids.length > 0, "Node runs more than one thread");
    assert.throws(() => PidFd.open(tids[0]!), (error: PidFdError) => error.code === "ENOENT" && /thread: true/.test(error.message));
    using thread = PidFd.open(tids[0]!, { thread: true });
    assert.equal(thread.getInfo().tgid, process.pid);
  });
});
