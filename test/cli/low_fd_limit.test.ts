// At every file-descriptor limit from the lowest Node starts at, pidfd either works or says in
// one line that it could not load its own code, and exits 125; it never prints the module
// loader's stack trace. (Whether any limit falls between the two depends on how many fds Node's
// own start holds; the one-line failure itself is tested on a broken install, broken_install.test.ts.)
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { CLI } from "./run_cli.js";

interface LimitedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `pidfd ...args` under `ulimit -n limit` (and no core dumps: Node itself may crash at the lowest limits). */
function pidfdWithFdLimit(limit: number, ...args: string[]): Promise<LimitedRun> {
  const script = 'ulimit -c 0; ulimit -n "$0"; exec "$@"';
  return new Promise((resolve) => {
    execFile("sh", ["-c", script, String(limit), process.execPath, CLI, ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, signal: (error?.signal as NodeJS.Signals | undefined) ?? null, stdout, stderr });
    });
  });
}

/** Node failed before running pidfd's code: it crashed while starting, or could not read the script itself. */
function nodeFailedFirst(run: LimitedRun): boolean {
  return run.signal !== null || run.stderr.includes(`open '${CLI}'`);
}

describe("pidfd (cli) at a low fd limit", () => {
  it("from the lowest limit Node starts at up to the first that works: it works, or says 'Too many open files' in one line, exit 125", async () => {
    let limit = 8;
    for (; limit <= 1024; limit++) {
      const run = await pidfdWithFdLimit(limit, "info", "self");
      if (run.code === 0) break;
      if (nodeFailedFirst(run)) continue;
      assert.match(run.stderr, /^pidfd: [^\n]*: Too many open files\n$/, `ulimit -n ${limit}: stderr ${JSON.stringify(run.stderr)}`);
      assert.equal(run.code, 125, `ulimit -n ${limit}: exit status`);
      assert.equal(run.stdout, "");
    }
    assert.ok(limit <= 1024, "pidfd info self never succeeded");
  });
});
