// PIDFD_TRACE=1 shows every syscall of the library, spawn and the epoll set included: the
// process half of the backend goes through the same tracing seam as the core's imports.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const INDEX = new URL("../../host/index.js", import.meta.url).href;

describe("PIDFD_TRACE=1 and spawn()", () => {
  it("logs the spawn, its pipes, the epoll set and the reap", async () => {
    const script = `import { spawn } from ${JSON.stringify(INDEX)};
      const child = spawn("true", [], { stdio: ["ignore", "pipe", "ignore"] });
      console.log((await child.exited).code);`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script],
      { env: { ...process.env, PIDFD_TRACE: "1" }, encoding: "utf8" });
    assert.equal(stdout, "0\n");
    const calls = stderr.split("\n").filter(Boolean).map((line) => /^pidfd: (\w+)\(/.exec(line)?.[1]);
    for (const call of ["pipe", "spawn", "pidfdOpen", "epollCreate", "pollReadable", "epollCtl", "epollWait", "waitid"]) {
      assert.ok(calls.includes(call), `${call} in:\n${stderr}`);
    }
    assert.match(stderr, /^pidfd: spawn\("true", \["true"\], environ, actions\[\d+\]\) = \d+$/m);
    assert.ok(calls.indexOf("spawn") < calls.indexOf("pidfdOpen"), "the pidfd is opened after the spawn");
  });
});
