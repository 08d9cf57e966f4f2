// pidfd getfd: duplicates an fd of our own child and describes it, or runs a command with it.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cleanup } from "../util.js";
import { pidfd, unusedPid } from "./run_cli.js";

describe("pidfd getfd (cli)", () => {
  let dir: string;
  let file: string;
  let fd: number;
  let child: ChildProcess & { pid: number };
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-getfd-"));
    file = path.join(dir, "data");
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND);
    fs.writeSync(fd, "hello");
    child = spawn("sleep", ["30"], { stdio: ["ignore", "ignore", "ignore", fd] }) as ChildProcess & { pid: number };
    await once(child, "spawn");
  });
  afterEach(async () => {
    await cleanup(child);
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("describes the child's fd 3: path, type, flags and the shared position", async () => {
    const { code, stdout, stderr } = await pidfd("getfd", String(child.pid), "3");
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.equal(stdout, [
      `${child.pid} fd 3`,
      `  path      ${fs.realpathSync(file)}`,
      "  type      regular file",
      ...stdout.split("\n").filter((line) => line.startsWith("  flags")),
      "  position  5",
      "",
    ].join("\n"));
    assert.match(stdout, /^ {2}flags +0[0-7]+ \(O_RDWR\|O_APPEND[|)]/m);
  });

  it("--json: parsed with JSON.parse", async () => {
    const { code, stdout } = await pidfd("getfd", "--json", String(child.pid), "3");
    assert.equal(code, 0);
    const description = JSON.parse(stdout);
    assert.equal(description.pid, child.pid);
    assert.equal(description.fd, 3);
    assert.equal(description.path, fs.realpathSync(file));
    assert.equal(description.type, "regular file");
    assert.equal((Number.parseInt(description.flags, 8) & fs.constants.O_APPEND) !== 0, true);
    assert.deepEqual(description.flagNames.slice(0, 2), ["O_RDWR", "O_APPEND"]);
    assert.equal(description.position, 5);
  });

  it("describes a socket and a character device", async () => {
    const socket = await pidfd("getfd", "--json", "self", "1");
    assert.equal(socket.code, 0);
    assert.equal(JSON.parse(socket.stdout).type, "socket"); // libuv gives children socketpairs as pipes
    assert.match(JSON.parse(socket.stdout).path, /^socket:\[\d+\]$/);
    const devNull = await pidfd("getfd", "--json", String(child.pid), "0");
    assert.equal(devNull.code, 0);
    assert.equal(JSON.parse(devNull.stdout).type, "character device");
    assert.equal(JSON.parse(devNull.stdout).path, "/dev/null");
  });

  it("--exec runs a command with the duplicate as fd 3 and exits with its status", async () => {
    const wrote = await pidfd("getfd", String(child.pid), "3", "--exec", "--", "sh", "-c", "printf ' world' >&3; exit 7");
    assert.equal(wrote.code, 7);
    assert.equal(wrote.stderr, "");
    assert.equal(fs.readFileSync(file, "utf8"), "hello world");
    const withoutDashes = await pidfd("getfd", String(child.pid), "3", "--exec", "sh", "-c", "test -e /proc/self/fd/3");
    assert.equal(withoutDashes.code, 0);
    const killed = await pidfd("getfd", String(child.pid), "3", "--exec", "sh", "-c", "kill -USR1 $$");
    assert.equal(killed.code, 128 + os.constants.signals.SIGUSR1);
    const missing = await pidfd("getfd", String(child.pid), "3", "--exec", "--", "/nonexistent/command");
    assert.deepEqual(missing, { code: 127, stdout: "", stderr: "pidfd: getfd: /nonexistent/command: command not found\n" });
    const notExecutable = await pidfd("getfd", String(child.pid), "3", "--exec", "--", file);
    assert.equal(notExecutable.code, 126);
    assert.equal(notExecutable.stderr, `pidfd: getfd: ${file}: Permission denied\n`);
  });

  it("an fd the process does not have, or an unknown pid: exit 1 naming pid and fd", async () => {
    const noFd = await pidfd("getfd", String(child.pid), "99");
    assert.deepEqual(noFd, { code: 1, stdout: "", stderr: `pidfd: getfd ${child.pid} 99: Bad file descriptor\n` });
    const missing = unusedPid();
    const noPid = await pidfd("getfd", String(missing), "3");
    assert.deepEqual(noPid, { code: 1, stdout: "", stderr: `pidfd: getfd ${missing} 3: No such process\n` });
  });

  it("bad input is a usage error (exit 125)", async () => {
    const pid = String(child.pid);
    const cases: [string[], string][] = [
      [[], "no process given"],
      [[pid], "no fd given"],
      [["0", "3"], "invalid process '0': expected a pid (1..2147483647), <pid>:<id> or self"],
      [["-1", "3"], "invalid process '-1': expected a pid (1..2147483647), <pid>:<id> or self"],
      [[pid, "-1"], "invalid fd '-1': expected an integer 0..2147483647"],
      [[pid, "x"], "invalid fd 'x': expected an integer 0..2147483647"],
      [[pid, "3", "4"], "unexpected argument '4'"],
      [[pid, "3", "--exec"], "option '--exec' needs a command"],
      [[pid, "3", "--exec", "--"], "option '--exec' needs a command"],
      [["--json", pid, "3", "--exec", "true"], "--json and --exec exclude each other"],
      [["--frobnicate", pid, "3"], "unknown option '--frobnicate'"],
    ];
    const results = await Promise.all(cases.map(([args]) => pidfd("getfd", ...args)));
    cases.forEach(([args, message], i) => {
      assert.deepEqual(results[i], { code: 125, stdout: "", stderr: `pidfd: getfd: ${message} (see 'pidfd getfd --help')\n` }, args.join(" "));
    });
  });
});
