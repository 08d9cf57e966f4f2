// What a PidFd answers once its process has been reaped, including a Subprocess's pidfd whose
// fd was released at the reap: ESRCH for signals and live queries, false for isAlive(), the id
// and (Linux 6.15) the exit status from PIDFD_GET_INFO. EBADF only ever means close() was called.
import assert from "node:assert/strict";
import { ExitStatus, PidFd, spawn } from "../../host/index.js";

describe("a reaped process's PidFd", () => {
  it("a Subprocess's pidfd after `exited`: ESRCH, isAlive false, the id, getInfo's exit status", async () => {
    const child = spawn("sh", ["-c", "read _; exit 5"], { stdio: ["pipe", "ignore", "ignore"] });
    const id = child.pidfd.getId();
    const cgroupId = child.pidfd.getCgroupId();
    child.stdin!.end("go\n");
    const status = await child.exited;
    const pidfd = child.pidfd;
    assert.equal(pidfd.fd, -1, "the fd was released at the reap");
    assert.equal(pidfd.closed, false);
    assert.throws(() => pidfd.sendSignal(0), { code: "ESRCH", syscall: "pidfd_send_signal" });
    assert.throws(() => pidfd.getPid(), { code: "ESRCH" });
    assert.throws(() => pidfd.getCreds(), { code: "ESRCH" });
    assert.throws(() => pidfd.getNamespace("net"), { code: "ESRCH" });
    assert.throws(() => pidfd.getRemoteFd(0), { code: "ESRCH", syscall: "pidfd_getfd" });
    assert.equal(pidfd.isAlive(), false);
    assert.equal(pidfd.getId(), id);
    const info = pidfd.getInfo();
    assert.equal(info.exit?.raw, status.raw, "PIDFD_INFO_EXIT, as the kernel gives it for a reaped process");
    assert.ok(info.exit instanceof ExitStatus, "an ExitStatus, as from the kernel");
    assert.equal(String(info.exit), String(status));
    assert.equal(info.cgroupId, cgroupId);
    assert.equal(info.pid, null);
    child.kill(); // a no-op, not an error
  });

  it("a PidFd of ours that reaped the child: the kernel says ESRCH, and the status stays", async () => {
    const child = spawn("sh", ["-c", "exit 2"], { stdio: "ignore" });
    using mine = PidFd.open(child.pid);
    mine.reaping = "reap";
    const status = mine.wait();
    await child.exited;
    assert.throws(() => mine.sendSignal(0), { code: "ESRCH" });
    assert.equal(mine.isAlive(), false);
    assert.equal(mine.wait(), status);
  });

  it("EBADF only after close(), for every method", async () => {
    const child = spawn("true", [], { stdio: "ignore" });
    await child.exited;
    child.pidfd.close();
    assert.equal(child.pidfd.closed, true);
    for (const call of [() => child.pidfd.wait(), () => child.pidfd.sendSignal(0), () => child.pidfd.getId(),
      () => child.pidfd.getInfo(), () => child.pidfd.isAlive()]) {
      assert.throws(call, { code: "EBADF" });
    }
    await assert.rejects(child.pidfd.waitAsync(), { code: "EBADF" });
  });
});
