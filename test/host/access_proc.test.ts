// accessProc: /proc/<pid> read only while the pid still names the process.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";
import { cleanup, exitOf, spawnShell, UNTIL_KILLED } from "../util.js";

describe("accessProc", () => {
  it("reads /proc/<pid> of a live child and returns what fn returned", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    try {
      using pidfd = PidFd.open(child.pid!);
      const status = pidfd.accessProc((dir) => fs.readFileSync(`${dir}/status`, "utf8"));
      assert.match(status, new RegExp(`^Pid:\\s+${child.pid}$`, "m"));
      const asyncStatus = await pidfd.accessProc((dir) => fs.promises.readFile(`${dir}/stat`, "utf8"));
      assert.ok(asyncStatus.startsWith(`${child.pid} `));
    } finally {
      await cleanup(child);
    }
  });

  it("detects a child reaped while fn ran: ESRCH instead of fn's result", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    const result = pidfd.accessProc(async (dir) => {
      const text = fs.readFileSync(`${dir}/status`, "utf8");
      child.kill("SIGKILL");
      await exitOf(child); // Node reaps it: the pid is free for reuse from here on
      return text;
    });
    await assert.rejects(result, { code: "ESRCH" });
    assert.throws(() => pidfd.accessProc(() => 1), { code: "ESRCH" });
  });
});
