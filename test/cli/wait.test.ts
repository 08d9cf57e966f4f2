// pidfd wait: processes that are not children of pidfd (children of this test, which Node
// reaps), with util-linux waitpid(1)'s options and exit statuses.
import assert from "node:assert/strict";
import os from "node:os";
import { PidFd, type ExitStatus } from "../../host/index.js";
import { cleanup, exitOf, receivedNoSignal, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd, startPidfd, unusedPid, untilHolding } from "./run_cli.js";

/** What `pidfd wait` prints for a process: its status when the kernel gives it (6.15+), else "exited". */
function expectedLine(name: string, status: ExitStatus | null): string {
  return `${name}: ${status === null ? "exited" : String(status)}`;
}

/** Whether this kernel gives the exit status to others than the parent (PIDFD_INFO_EXIT, Linux 6.15). */
const [major = 0, minor = 0] = os.release().split(".").map(Number);
const KEEPS_EXIT_STATUS = major > 6 || (major === 6 && minor >= 15);

/** The exit status the kernel keeps for a reaped process (PIDFD_INFO_EXIT, Linux 6.15), else null. */
function keptStatus(own: PidFd): ExitStatus | null {
  try {
    return own.getInfo().exit;
  } catch {
    return null;
  }
}

describe("pidfd wait (cli)", () => {
  const children = childrenOfEachTest();
  const child = children.sleeping;

  it("--verbose, a process killed meanwhile: reports the signal ('killed by SIGTERM'), exit 0", async () => {
    const [a, b] = [await child(), await child()];
    using ownA = PidFd.open(a.pid);
    using ownB = PidFd.open(b.pid);
    const cli = await startPidfd("wait", "--verbose", String(a.pid), String(b.pid));
    try {
      await untilHolding(cli, a.pid);
      await untilHolding(cli, b.pid);
      a.kill("SIGTERM");
      assert.deepEqual(await exitOf(a), [null, "SIGTERM"]);
      b.kill("SIGKILL");
      assert.deepEqual(await exitOf(b), [null, "SIGKILL"]);
      const { code, stdout, stderr } = await cli.result;
      assert.equal(stderr, "");
      assert.equal(code, 0);
      const [statusA, statusB] = [keptStatus(ownA), keptStatus(ownB)];
      if (KEEPS_EXIT_STATUS) assert.equal(String(statusA), "killed by SIGTERM", "Linux 6.15+ keeps the status");
      assert.deepEqual(stdout.split("\n").sort(), ["", expectedLine(String(a.pid), statusA), expectedLine(String(b.pid), statusB)].sort());
    } finally {
      await cleanup(cli.process);
    }
  });

  it("--timeout 0 is no timeout, as in waitpid(1): it waits until the process exits", async () => {
    const a = await child();
    const cli = await startPidfd("wait", "--timeout", "0", String(a.pid));
    try {
      await untilHolding(cli, a.pid);
      a.kill("SIGKILL");
      assert.deepEqual(await cli.result, { code: 0, stdout: "", stderr: "" });
    } finally {
      await cleanup(cli.process);
    }
  });

  it("--count 1 --json: returns after the first exit, one JSON object per line", async () => {
    const [a, b] = [await child(), await child()];
    await stopChild(b);
    using ownA = PidFd.open(a.pid);
    using ownB = PidFd.open(b.pid);
    const cli = await startPidfd("wait", "--json", "--count", "1", String(a.pid), `${b.pid}:${ownB.getId()}`);
    try {
      await untilHolding(cli, a.pid);
      await untilHolding(cli, b.pid);
      a.kill("SIGTERM");
      await exitOf(a);
      const { code, stdout, stderr } = await cli.result;
      assert.equal(stderr, "");
      assert.equal(code, 0);
      const lines = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as unknown);
      const kept = keptStatus(ownA);
      assert.deepEqual(lines, [{ pid: a.pid, name: String(a.pid), status: kept?.toJSON() ?? null }]);
      if (KEEPS_EXIT_STATUS) {
        assert.deepEqual(kept?.toJSON(), { raw: 15, kind: "signaled", code: null, signal: "SIGTERM", signalNumber: 15, coreDumped: false });
      }
      assert.ok(receivedNoSignal(b), "the other process is not touched");
    } finally {
      await cleanup(cli.process);
    }
  });

  it("--timeout: exit 3 (waitpid(1)'s timeout status), nothing printed, the process untouched", async () => {
    const target = await child();
    await stopChild(target);
    assert.deepEqual(await pidfd("wait", "--timeout", "200ms", String(target.pid)), { code: 3, stdout: "", stderr: "" });
    assert.ok(receivedNoSignal(target));
  });

  it("a process that does not exist: exit 1; with --exited it is skipped", async () => {
    const target = await child();
    const missing = String(unusedPid());
    const [strict, lenient, onlyMissing] = await Promise.all([
      pidfd("wait", "-t", "100ms", missing, String(target.pid)),
      pidfd("wait", "--exited", "-t", "100ms", missing, String(target.pid)),
      pidfd("wait", "-e", missing),
    ]);
    assert.deepEqual(strict, { code: 1, stdout: "", stderr: `pidfd: wait ${missing}: No such process\n` });
    assert.deepEqual(lenient, { code: 3, stdout: "", stderr: "" }, "the missing one skipped, the other still waited for");
    assert.deepEqual(onlyMissing, { code: 0, stdout: "", stderr: "" });
  });

  it("bad input is a usage error (exit 125)", async () => {
    const cases: [string[], string][] = [
      [[], "no process given"],
      [["0"], "invalid process '0': expected a pid (1..2147483647), <pid>:<id> or self"],
      [["-3"], "invalid process '-3': expected a pid (1..2147483647), <pid>:<id> or self"],
      [["--timeout", "soon", "self"], "invalid timeout 'soon': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--timeout", "-1", "self"], "invalid timeout '-1': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["-t", "30d", "self"], "invalid timeout '30d': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--count", "2", "self"], "invalid count '2': expected an integer 1..1"],
      [["--count", "0", "self"], "invalid count '0': expected an integer 1..1"],
      [["--count", "1", "--exited", "self"], "--count and --exited exclude each other"],
      [["--timeout"], "option '--timeout' needs a value"],
      [["--frobnicate", "self"], "unknown option '--frobnicate'"],
      [["-t", "1s", "self"], "cannot wait for itself ('self')"],
    ];
    const results = await Promise.all(cases.map(([args]) => pidfd("wait", ...args)));
    cases.forEach(([args, message], i) => {
      assert.deepEqual(results[i], { code: 125, stdout: "", stderr: `pidfd: wait: ${message} (see 'pidfd wait --help')\n` }, args.join(" "));
    });
  });
});
