// A handle names its process while the process exists: a zombie (exited, not reaped) is still
// found; once it is reaped, ESRCH, even while a pidfd on it stays open somewhere.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { cleanup, firstLine, procStateOf, spawnShell, until } from "../util.js";

describe("PidFd.fromHandle() of a process that has exited", () => {
  it("finds a zombie; gives ESRCH once the process is reaped, even while a pidfd on it stays open", async () => {
    // The inner shell's parent execs sleep, which never reaps it: killed, it stays a zombie.
    const outer = await spawnShell("sh -c 'echo $$; exec sleep infinity' & exec sleep infinity");
    try {
      const pid = Number(await firstLine(outer));
      using kept = PidFd.open(pid);
      const handle = kept.toHandle();
      kept.sendSignal("SIGKILL");
      await until(() => procStateOf(pid) === "Z");
      using zombie = PidFd.fromHandle(handle);
      assert.equal(zombie.getId(), kept.getId());
      outer.kill("SIGKILL"); // the zombie's new parent (init) reaps it
      await until(() => procStateOf(pid) === null);
      assert.throws(() => PidFd.fromHandle(handle), { code: "ESRCH", syscall: "open_by_handle_at" });
      assert.equal(kept.isAlive(), false);
    } finally {
      await cleanup(outer);
    }
  });
});
