// A pidfile from writePidfile() has the pid alone on line 1, so that tools expecting a bare pid
// (`kill $(head -n1 file)`, start-stop-daemon, systemd's PIDFile=) still read it, and the identity
// on line 2: `pidfd-identity 1 <boot id> <id>`. Mode 0644 whatever the umask.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { PidFd, readPidfile, writePidfile } from "../../host/index.js";
import { sleeper } from "../lifecycle/helpers.js";
import { tempDirPerTest } from "../util.js";

describe("writePidfile()", () => {
  const temp = tempDirPerTest("pidfd-pidfile-");

  it("line 1 the bare pid, line 2 the identity; mode 0644; readPidfile() gives them back", async () => {
    const { child, pidfd } = sleeper();
    const file = path.join(temp.dir, "app.pid");
    const umask = process.umask(0o077);
    try {
      writePidfile(file, pidfd);
    } finally {
      process.umask(umask);
    }
    const boot = fs.readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
    assert.equal(fs.readFileSync(file, "latin1"), `${child.pid}\npidfd-identity 1 ${boot} ${pidfd.getId()}\n`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o644);
    assert.deepEqual(readPidfile(file), { pid: child.pid, id: pidfd.getId(), bootId: boot });
    // A tool that knows nothing of line 2 signals the right process.
    await promisify(execFile)("sh", ["-c", `kill -TERM "$(head -n1 "$1")"`, "sh", file]);
    assert.equal((await child.exited).signal, "SIGTERM");
    pidfd.close();
    child.close();
  });

  it("readPidfile: EINVAL for a line 1 that is no pid or a malformed identity line; Node's ENOENT for no file", () => {
    const file = path.join(temp.dir, "bad.pid");
    const boot = fs.readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
    for (const text of ["", "\n", "abc\n", "0\n", "-5\n", "2147483648\n", "12 13\n", `1\npidfd-identity 2 ${boot} 5\n`,
      "1\npidfd-identity 1 not-a-boot-id 5\n", `1\npidfd-identity 1 ${boot} x\n`, `1\npidfd-identity 1 ${boot} 5 6\n`,
      `1\npidfd-identity 1 ${boot} 1\n`, `1\npidfd-identity 1 ${boot} 18446744073709551616\n`]) {
      fs.writeFileSync(file, text);
      assert.throws(() => readPidfile(file), { name: "PidFdError", code: "EINVAL" }, JSON.stringify(text));
      assert.throws(() => PidFd.fromPidfile(file), { code: "EINVAL" });
    }
    fs.writeFileSync(file, "12\x1b[31mRED\x00\n");
    assert.throws(() => readPidfile(file), { message: /line 1 is not a pid: '12\\x1B\[31mRED\\x00'/ }, "control characters escaped");
    fs.writeFileSync(file, "12\npidfd-identity \x1b[2J 1 5\n");
    assert.throws(() => readPidfile(file), { message: /identity version '\\x1B\[2J'/ }, "control characters escaped");
    assert.throws(() => readPidfile(path.join(temp.dir, "none.pid")), { code: "ENOENT" });
    assert.throws(() => PidFd.fromPidfile(42 as never), { code: "ERR_INVALID_ARG_TYPE" });
    assert.throws(() => PidFd.fromPidfile(file, { legacy: 1 } as never), { code: "ERR_INVALID_ARG_TYPE" });
    assert.throws(() => writePidfile(file, {} as never), { code: "ERR_INVALID_ARG_TYPE" });
  });
});
