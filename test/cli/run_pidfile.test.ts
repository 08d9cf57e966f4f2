// pidfd run --pidfile <file> writes the command's pidfile once it has started and removes it once
// the command has exited; a pidfile that cannot be written kills the command (exit 125).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pidfd } from "./run_cli.js";
import { tempDirPerTest } from "../util.js";

describe("pidfd run --pidfile (cli)", () => {
  const temp = tempDirPerTest("pidfd-run-pidfile-");

  it("the command finds its own pid on line 1 and its identity on line 2; the file is gone after", async () => {
    const file = path.join(temp.dir, "cmd.pid");
    // The command waits until the pidfile exists (an observable state), then shows it.
    const result = await pidfd("run", "--pidfile", file, "--", "sh", "-c", 'while [ ! -s "$0" ]; do :; done; echo $$; cat "$0"', file);
    assert.equal(result.code, 0, result.stderr);
    const [own, line1, line2] = result.stdout.split("\n");
    assert.equal(line1, own);
    assert.match(line2!, /^pidfd-identity 1 [0-9a-f-]{36} \d+$/);
    assert.equal(fs.existsSync(file), false);
  });

  it("a pidfile that cannot be written: exit 125, the command killed before it could do anything", async () => {
    const marker = path.join(temp.dir, "ran");
    const result = await pidfd("run", "--pidfile", path.join(temp.dir, "missing", "cmd.pid"), "--", "sh", "-c", 'read _; touch "$0"', marker);
    assert.equal(result.code, 125);
    assert.match(result.stderr, /^pidfd: run: cannot write pidfile .*cmd\.pid: No such file or directory\n$/);
    assert.equal(fs.existsSync(marker), false);
  });
});
