// --pidfile <file> names the process of a pidfile (writePidfile()'s format) for info, wait, kill
// and getfd, as <pid>:<id> of that boot: a pid that names another process now is refused (wait
// --exited skips it), and a bare-pid pidfile is refused since it cannot be verified.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PidFd, writePidfile } from "../../host/index.js";
import { exitOf, receivedNoSignal, stopChild, tempDirPerTest } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

describe("pidfd --pidfile (cli)", () => {
  const children = childrenOfEachTest();
  const temp = tempDirPerTest("pidfd-cli-pidfile-");

  /** A pidfile for a new sleeping child of ours. */
  async function pidfileOfChild() {
    const child = await children.sleeping();
    using own = PidFd.open(child.pid);
    const file = path.join(temp.dir, "child.pid");
    writePidfile(file, own);
    return { child, file, id: own.getId() };
  }

  it("info, getfd and kill act on the pidfile's process", async () => {
    const { child, file, id } = await pidfileOfChild();
    const info = await pidfd("info", "--pidfile", file);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`^${child.pid}:${id}\\b`));
    const getfd = await pidfd("getfd", "--json", "--pidfile", file, "1");
    assert.equal(getfd.code, 0, getfd.stderr);
    assert.equal(JSON.parse(getfd.stdout).pid, child.pid);
    const kill = await pidfd("kill", "--pidfile", file);
    assert.deepEqual(kill, { code: 0, stdout: "", stderr: "" });
    assert.deepEqual(await exitOf(child), [null, "SIGTERM"]);
  });

  it("a pidfile whose pid names another process now: refused by kill, skipped by wait --exited", async () => {
    const { child, file, id } = await pidfileOfChild();
    await stopChild(child);
    fs.writeFileSync(file, fs.readFileSync(file, "latin1").replace(` ${id}\n`, ` ${id + 1n}\n`)); // the old process's id
    const [kill, wait] = await Promise.all([pidfd("kill", "--pidfile", file), pidfd("wait", "--exited", "--pidfile", file)]);
    assert.deepEqual(kill, {
      code: 1, stdout: "",
      stderr: `pidfd: kill --pidfile ${file}: No such process: pid ${child.pid} now names another process (id ${id})\n`,
    });
    assert.deepEqual(wait, { code: 0, stdout: "", stderr: "" });
    assert.ok(receivedNoSignal(child));
  });

  it("a bare-pid pidfile and a malformed one are refused (exit 1); --pidfile with no file is a usage error", async () => {
    const child = await children.sleeping();
    await stopChild(child);
    const bare = path.join(temp.dir, "bare.pid");
    fs.writeFileSync(bare, `${child.pid}\n`);
    const refused = await pidfd("kill", "-9", "--pidfile", bare);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `pidfd: kill: pidfile ${bare} holds a bare pid (${child.pid}) and no identity: it cannot be verified `
      + `(name the pid as an argument to use it as it is)\n`);
    const bad = path.join(temp.dir, "bad.pid");
    fs.writeFileSync(bad, "not a pid\n");
    const malformed = await pidfd("info", "--pidfile", bad);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /^pidfd: info: cannot use pidfile .*line 1 is not a pid/);
    const missing = await pidfd("wait", "--pidfile", path.join(temp.dir, "none.pid"));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ENOENT/);
    assert.equal((await pidfd("info", "--pidfile")).code, 125);
    assert.ok(receivedNoSignal(child));
  });
});
