// Every method of a closed PidFd throws EBADF naming a real syscall (the one it would have made),
// and a wait pending at the close rejects the same way.
import assert from "node:assert/strict";
import { PidFd, PidFdError } from "../../host/index.js";

const SYSCALLS = new Set(["pidfd_send_signal", "ioctl", "name_to_handle_at", "setns", "pidfd_getfd", "waitid"]);

function isEbadfOfASyscall(method: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof PidFdError, `${method}: ${String(error)}`);
    assert.equal(error.code, "EBADF", method);
    assert.ok(SYSCALLS.has(error.syscall!), `${method}: syscall ${error.syscall}`);
    return true;
  };
}

describe("a closed PidFd", () => {
  it("each method: EBADF with a real syscall", async () => {
    const pidfd = PidFd.self();
    const pending = pidfd.waitAsync();
    pidfd.close();
    await assert.rejects(pending, isEbadfOfASyscall("pending waitAsync"));
    const calls: [string, () => unknown][] = [
      ["sendSignal", () => pidfd.sendSignal(0)], ["kill", () => pidfd.kill()], ["isAlive", () => pidfd.isAlive()],
      ["getPid", () => pidfd.getPid()], ["getPpid", () => pidfd.getPpid()], ["getId", () => pidfd.getId()],
      ["getCreds", () => pidfd.getCreds()], ["getCgroupId", () => pidfd.getCgroupId()], ["getInfo", () => pidfd.getInfo()],
      ["getNamespace", () => pidfd.getNamespace("pid")], ["setNamespace", () => pidfd.setNamespace("uts")],
      ["getRemoteFd", () => pidfd.getRemoteFd(0)], ["accessProc", () => pidfd.accessProc(() => 1)],
      ["wait", () => pidfd.wait()], ["tryWait", () => pidfd.tryWait()],
    ];
    for (const [method, call] of calls) assert.throws(call, isEbadfOfASyscall(method));
    await assert.rejects(pidfd.waitAsync(), isEbadfOfASyscall("waitAsync"));
    await assert.rejects(pidfd.terminate(), isEbadfOfASyscall("terminate"));
  });

  it("the tree methods and kill(): EBADF naming the method, not an empty tree", async () => {
    const pidfd = PidFd.self();
    pidfd.close();
    const named = (method: string) => (error: unknown): boolean =>
      isEbadfOfASyscall(method)(error) && (error as Error).message.includes(`${method}: the PidFd is closed`);
    assert.throws(() => pidfd.children(), named("children"));
    assert.throws(() => pidfd.descendants(), named("descendants"));
    assert.throws(() => PidFd.tree(pidfd), named("tree"));
    assert.throws(() => pidfd.signalTree("SIGTERM"), named("signalTree"));
    assert.throws(() => pidfd.accessProc(() => 1), named("accessProc"));
    assert.throws(() => pidfd.kill(), named("kill"));
    assert.throws(() => pidfd.kill({ reclaim: true }), named("kill"));
    await assert.rejects(pidfd.killTree(), named("killTree"));
  });
});
