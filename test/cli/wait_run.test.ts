// pidfd wait and pidfd run: argument checking now; their waiting comes with PidFd.waitAsync and
// spawn() (phase 2), until then a valid invocation is refused with exit status 2.
import assert from "node:assert/strict";
import { pidfd } from "./run_cli.js";

describe("pidfd wait and run (cli): arguments", () => {
  it("wait: bad input is a usage error (exit 125)", async () => {
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
    ];
    const results = await Promise.all(cases.map(([args]) => pidfd("wait", ...args)));
    cases.forEach(([args, message], i) => {
      assert.deepEqual(results[i], { code: 125, stdout: "", stderr: `pidfd: wait: ${message} (see 'pidfd wait --help')\n` }, args.join(" "));
    });
  });

  it("run: bad input is a usage error (exit 125, like timeout(1))", async () => {
    const cases: [string[], string][] = [
      [[], "no command given"],
      [["--timeout", "1s"], "no command given"],
      [["--timeout", "1s", "--"], "no command given"],
      [["--timeout", "forever", "--", "true"], "invalid timeout 'forever': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--kill-after", "x", "true"], "invalid kill-after duration 'x': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--signal", "NOPE", "true"], "unknown signal 'NOPE'"],
      [["--frobnicate", "--", "true"], "unknown option '--frobnicate'"],
    ];
    const results = await Promise.all(cases.map(([args]) => pidfd("run", ...args)));
    cases.forEach(([args, message], i) => {
      assert.deepEqual(results[i], { code: 125, stdout: "", stderr: `pidfd: run: ${message} (see 'pidfd run --help')\n` }, args.join(" "));
    });
  });

  it("valid wait and run invocations: not available yet, exit 2 (phase 2 replaces this test)", async () => {
    const wait = await pidfd("wait", "--timeout", "500ms", "self");
    assert.deepEqual(wait, { code: 2, stdout: "", stderr: "pidfd: wait: waiting is not available yet: it needs PidFd.waitAsync (issue 4)\n" });
    const run = await pidfd("run", "--timeout", "200ms", "sleep", "10", "--not-ours");
    assert.deepEqual(run, { code: 2, stdout: "",
      stderr: "pidfd: run: running a command is not available yet: it needs spawn() and PidFd.waitAsync (issue 4)\n" });
  });
});
