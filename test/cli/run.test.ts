// pidfd run: exit statuses like coreutils timeout(1), the timeout and --kill-after, signals
// forwarded to the command, commands that cannot start. Every command exits or is killed before
// its test ends, and pidfd run reaps it (PID 1 here reaps orphans only after a while).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pidfd, signalRun } from "./run_cli.js";

describe("pidfd run (cli)", () => {
  it("exits with the command's code, its output passing through: run -- sh -c 'exit 3' exits 3", async () => {
    assert.deepEqual(await pidfd("run", "--", "sh", "-c", "exit 3"), { code: 3, stdout: "", stderr: "" });
    const both = await pidfd("run", "sh", "-c", "echo out; echo err >&2; exit 0");
    assert.deepEqual(both, { code: 0, stdout: "out\n", stderr: "err\n" });
  });

  it("the command can fill a pipe: its stdout is blocking although Node made pidfd run's non-blocking", async () => {
    const { code, stdout, stderr } = await pidfd("run", "head", "-c", "1000000", "/dev/zero");
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.equal(stdout.length, 1000000);
  });

  it("a command killed by signal n: 128 + n", async () => {
    const { code, stderr } = await pidfd("run", "sh", "-c", "kill -USR1 $$");
    assert.equal(stderr, "");
    assert.equal(code, 128 + os.constants.signals.SIGUSR1);
  });

  it("--timeout 200ms -- sleep 10: the command gets SIGTERM, exit 124 (like timeout(1))", async () => {
    assert.deepEqual(await pidfd("run", "--timeout", "200ms", "--", "sleep", "10"), { code: 124, stdout: "", stderr: "" });
  });

  it("--kill-after (or -k): a command that ignores the timeout signal gets SIGKILL, exit 137", async () => {
    // SIGWINCH is ignored by default: sleep outlives it without a trap, so the test has no race.
    const [long, short] = await Promise.all([
      pidfd("run", "--timeout", "100ms", "--kill-after", "100ms", "--signal", "WINCH", "sleep", "30"),
      pidfd("run", "--timeout", "100ms", "-k", "100ms", "-s", "WINCH", "sleep", "30"),
    ]);
    assert.deepEqual(long, { code: 137, stdout: "", stderr: "" });
    assert.deepEqual(short, { code: 137, stdout: "", stderr: "" });
  });

  it("--signal KILL at the timeout: exit 137, as timeout(1)", async () => {
    assert.deepEqual(await pidfd("run", "-s", "KILL", "--timeout", "0.1", "sleep", "10"), { code: 137, stdout: "", stderr: "" });
  });

  it("SIGTERM sent to pidfd run reaches the command: it dies of it, exit 143", async () => {
    const { pid, ...result } = await signalRun([], "exec sleep 30", "SIGTERM");
    assert.deepEqual(result, { code: 143, stdout: `${pid}\n`, stderr: "" });
  });

  it("SIGINT is forwarded too; a command that handles it decides the exit status", async () => {
    const script = "trap 'kill $!; wait $! 2>/dev/null; exit 7' INT; sleep 30 & echo started; wait";
    const { pid, ...result } = await signalRun([], script, "SIGINT", 2);
    assert.deepEqual(result, { code: 7, stdout: `${pid}\nstarted\n`, stderr: "" });
  });

  it("--kill-after counts from a forwarded signal: a command ignoring SIGTERM (trap kept across exec) gets SIGKILL", async () => {
    const script = "trap '' TERM; echo ignoring; exec sleep 30";
    const { pid, ...result } = await signalRun(["--kill-after", "100ms"], script, "SIGTERM", 2);
    assert.deepEqual(result, { code: 137, stdout: `${pid}\nignoring\n`, stderr: "" });
  });

  it("a command that cannot start: 127 not found, 126 not executable (like timeout(1))", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-run-")), "not-executable");
    fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o644 });
    try {
      const [missing, inPath, notExecutable] = await Promise.all([
        pidfd("run", "--", "/nonexistent/command"), pidfd("run", "pidfd-no-such-command", "arg"), pidfd("run", file),
      ]);
      assert.deepEqual(missing, { code: 127, stdout: "", stderr: "pidfd: run: /nonexistent/command: command not found\n" });
      assert.deepEqual(inPath, { code: 127, stdout: "", stderr: "pidfd: run: pidfd-no-such-command: command not found\n" });
      assert.deepEqual(notExecutable, { code: 126, stdout: "", stderr: `pidfd: run: ${file}: Permission denied\n` });
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true });
    }
  });

  it("bad input is a usage error (exit 125, like timeout(1)) and runs nothing", async () => {
    const cases: [string[], string][] = [
      [[], "no command given"],
      [["--timeout", "1s"], "no command given"],
      [["--timeout", "1s", "--"], "no command given"],
      [["--", ""], "the command's name is empty"],
      [["--timeout", "forever", "--", "true"], "invalid timeout 'forever': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--kill-after", "x", "true"], "invalid kill-after duration 'x': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--signal", "NOPE", "true"], "unknown signal 'NOPE'"],
      [["--frobnicate", "--", "true"], "unknown option '--frobnicate'"],
      [["-k"], "option '--kill-after' needs a value"],
      [["--preserve-status=yes", "true"], "option '--preserve-status' takes no value"],
    ];
    const results = await Promise.all(cases.map(([args]) => pidfd("run", ...args)));
    cases.forEach(([args, message], i) => {
      assert.deepEqual(results[i], { code: 125, stdout: "", stderr: `pidfd: run: ${message} (see 'pidfd run --help')\n` }, args.join(" "));
    });
  });
});
