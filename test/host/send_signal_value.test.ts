// sendSignal(sig, { value }): the siginfo of sigqueue(3) reaches the child (SI_QUEUE, si_value,
// our pid and uid as the sender), through pidfd_send_signal on the real kernel.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { PidFd } from "../../host/index.js";
import { cleanup, exitOf, firstLine, lineReader, siginfoReporter, spawnShell, UNTIL_KILLED } from "../util.js";

const SIGUSR1 = 10, SI_QUEUE = -1, SI_USER = 0;

/** Sends SIGUSR1 with `options` to a siginfo reporter; resolves with what it printed. */
async function report(options?: { value?: number }): Promise<string> {
  const child = spawn("python3", siginfoReporter(SIGUSR1), { stdio: ["ignore", "pipe", "inherit"] });
  const nextLine = lineReader(child);
  try {
    assert.equal(await nextLine(), "ready");
    using pidfd = PidFd.open(child.pid!);
    pidfd.sendSignal("SIGUSR1", options);
    const line = await nextLine();
    assert.deepEqual(await exitOf(child), [0, null]);
    return line;
  } finally {
    await cleanup(child);
  }
}

describe("sendSignal with a value (sigqueue)", () => {
  for (const value of [42, -7, 0x7fffffff, -0x80000000, 0]) {
    it(`carries ${value} as si_value, with si_code SI_QUEUE and our pid and uid`, async () => {
      assert.equal(await report({ value }), `${SIGUSR1} ${SI_QUEUE} ${process.pid} ${process.getuid!()} ${value}`);
    });
  }

  it("without a value the kernel's SI_USER siginfo arrives, value 0", async () => {
    assert.equal(await report(), `${SIGUSR1} ${SI_USER} ${process.pid} ${process.getuid!()} 0`);
  });

  it("a value that is no int32 is a RangeError / TypeError, and nothing is sent", async () => {
    const child = await spawnShell(`trap 'echo got; exit 3' USR1; echo ready; ${UNTIL_KILLED}`);
    try {
      assert.equal(await firstLine(child), "ready");
      using pidfd = PidFd.open(child.pid!);
      assert.throws(() => pidfd.sendSignal("SIGUSR1", { value: 2 ** 31 }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
      assert.throws(() => pidfd.sendSignal("SIGUSR1", { value: 1.5 }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
      assert.throws(() => pidfd.sendSignal("SIGUSR1", { value: "1" as never }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
      assert.throws(() => pidfd.sendSignal("SIGUSR1", { valu: 1 } as never), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: /"options\.valu" is not an option/ });
      pidfd.kill();
      assert.deepEqual(await exitOf(child), [null, "SIGKILL"]); // the trap never ran
    } finally {
      await cleanup(child);
    }
  });

  it("a value with a scope: SI_QUEUE reaches the process (Linux 6.9 flags)", async () => {
    const child = spawn("python3", siginfoReporter(SIGUSR1), { stdio: ["ignore", "pipe", "inherit"] });
    const nextLine = lineReader(child);
    try {
      assert.equal(await nextLine(), "ready");
      using pidfd = PidFd.open(child.pid!);
      pidfd.sendSignal(SIGUSR1, { value: 9, scope: "process" });
      assert.equal(await nextLine(), `${SIGUSR1} ${SI_QUEUE} ${process.pid} ${process.getuid!()} 9`);
    } finally {
      await cleanup(child);
    }
  });
});
