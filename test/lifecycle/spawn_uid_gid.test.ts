// uid and gid: the child runs with them (setpriv sets them and execs the program, so the pid and
// its pidfd are the program's), supplementary groups cleared as child_process does; a program the
// user may not run is EACCES, a missing one ENOENT, both thrown synchronously. Needs root.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { PidFdError, spawn } from "../../host/index.js";
import { openFds } from "../util.js";
import { outputOf, zombieChildren } from "./helpers.js";

const NOBODY = 65534;

describe("spawn() with uid and gid", function () {
  before(function () {
    if (process.getuid!() !== 0) this.skip();
  });

  it("the child has the uid and gid, and no supplementary group but the gid", async () => {
    const { status, out } = await outputOf(spawn("id", ["-u"], { uid: NOBODY, gid: NOBODY, stdio: ["ignore", "pipe", "inherit"] }));
    assert.equal(status.code, 0);
    assert.equal(out, `${NOBODY}\n`);
    const ids = await outputOf(spawn("sh", ["-c", "id -g; id -G"], { uid: NOBODY, gid: NOBODY, stdio: ["ignore", "pipe", "inherit"] }));
    assert.equal(ids.out, `${NOBODY}\n${NOBODY}\n`);
  });

  it("the pid and the pidfd name the program itself, with those credentials", async () => {
    const child = spawn("sh", ["-c", "echo started; read line"], { uid: NOBODY, gid: NOBODY, stdio: ["pipe", "pipe", "inherit"] });
    const lines = child.stdout![Symbol.asyncIterator]();
    assert.equal(String((await lines.next()).value), "started\n", "the shell runs: setpriv has exec'd it");
    assert.equal(child.pidfd.getPid(), child.pid);
    assert.equal(fs.readlinkSync(`/proc/${child.pid}/exe`), fs.realpathSync("/bin/sh"));
    const uids = fs.readFileSync(`/proc/${child.pid}/status`, "latin1").match(/^Uid:\s+(.*)$/m)![1]!.split(/\s+/).map(Number);
    assert.deepEqual(uids, [NOBODY, NOBODY, NOBODY, NOBODY], "real, effective, saved and filesystem uid");
    child.stdin!.end("\n");
    assert.equal((await child.exited).code, 0);
    await text(child.stdout!);
  });

  it("a program the user may not execute: EACCES, thrown synchronously, nothing left behind", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-uid-"));
    const program = path.join(dir, "root-only");
    fs.writeFileSync(program, "#!/bin/sh\nexit 0\n", { mode: 0o700 });
    try {
      const before = openFds().length;
      assert.throws(() => spawn(program, [], { uid: NOBODY, stdio: "ignore" }),
        (error: unknown) => error instanceof PidFdError && error.code === "EACCES" && error.syscall === "posix_spawnp");
      assert.throws(() => spawn("root-only", [], { uid: NOBODY, stdio: "ignore", env: { PATH: dir } }), { code: "EACCES" });
      assert.equal(openFds().length, before);
      assert.deepEqual(zombieChildren(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a missing program: ENOENT, thrown synchronously", () => {
    assert.throws(() => spawn("pidfd-no-such-program", [], { uid: NOBODY, stdio: "ignore" }), { code: "ENOENT", syscall: "posix_spawnp" });
  });

  it("argv0 with uid: ENOTSUP (setpriv gives the program its path as argv[0])", () => {
    assert.throws(() => spawn("true", [], { uid: NOBODY, argv0: "other", stdio: "ignore" }), { code: "ENOTSUP" });
  });

  it("ids out of range: RangeError", () => {
    assert.throws(() => spawn("true", [], { uid: -1 }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
    assert.throws(() => spawn("true", [], { gid: 2 ** 32 }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
  });
});
