// pidfd kill -q <value>, as util-linux kill -q (sigqueue(3)): the signal arrives with si_code
// SI_QUEUE and the value in si_value, through pidfd_send_signal with a siginfo; a value that is
// no int32, or -q with --tree (whose signals carry no value), is a usage error (125) and nothing is
// sent.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { lineReader, receivedNoSignal, siginfoReporter, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

const SIGUSR1 = 10, SI_QUEUE = -1;

describe("pidfd kill -q (cli)", () => {
  const children = childrenOfEachTest();

  const cases: [args: string[], value: number][] = [
    [["-q", "42", "-s", "USR1"], 42], [["--queue", "-7", "-USR1"], -7], [["-s", "10", "--queue=2147483647"], 2147483647],
  ];
  for (const [args, expected] of cases) {
    it(`${args.join(" ")}: the child's signalfd reads SI_QUEUE and the value, from the pidfd command`, async () => {
      const child = children.add(spawn("python3", siginfoReporter(SIGUSR1), { stdio: ["ignore", "pipe", "inherit"] }));
      const nextLine = lineReader(child);
      assert.equal(await nextLine(), "ready");
      const result = await pidfd("kill", ...args, String(child.pid));
      assert.deepEqual(result, { code: 0, stdout: "", stderr: "" });
      const [signo, code, pid, uid, value] = (await nextLine()).split(" ").map(Number);
      assert.deepEqual([signo, code, uid, value], [SIGUSR1, SI_QUEUE, process.getuid!(), expected]);
      assert.ok(pid! > 0 && pid !== process.pid, `si_pid ${pid} is the pidfd command's`);
    });
  }

  it("a value that is no int32: usage error 125 naming it, the process not signalled", async () => {
    const target = await children.sleeping();
    await stopChild(target);
    for (const text of ["abc", "2147483648", "1.5", ""]) {
      const result = await pidfd("kill", "-s", "USR1", `--queue=${text}`, String(target.pid));
      assert.equal(result.code, 125, text);
      assert.equal(result.stderr, `pidfd: kill: invalid sigval argument '${text}': an integer from -2147483648 to 2147483647 (see 'pidfd kill --help')\n`);
    }
    assert.ok(receivedNoSignal(target));
  });

  it("-q with --tree: usage error 125, the process not signalled", async () => {
    const target = await children.sleeping();
    await stopChild(target);
    const result = await pidfd("kill", "-s", "USR1", "-q", "1", "--tree", String(target.pid));
    assert.equal(result.code, 125);
    assert.match(result.stderr, /^pidfd: kill: options '--tree' and '--queue' cannot be combined: a tree's signals carry no value/);
    assert.ok(receivedNoSignal(target));
  });
});
