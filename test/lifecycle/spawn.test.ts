// spawn(): real children through posix_spawnp, their exit statuses, stdio, options and errors.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { PidFdError, spawn, type SpawnOptions, type Subprocess } from "../../host/index.js";
import { openFds } from "../util.js";
import { procFields, zombieChildren } from "./helpers.js";

/** Runs `sh -c script` with stdout piped; resolves with [status, stdout]. */
async function sh(script: string, options: Parameters<typeof spawn>[2] = {}) {
  const child = spawn("sh", ["-c", script], { stdio: ["ignore", "pipe", "inherit"], ...options });
  const [status, out] = await Promise.all([child.exited, text(child.stdout!)]);
  return { status, out, child };
}

/**
 * The fds of a child started with `stdio` (whose fd 1 must be "pipe"), number -> target: `ls`
 * lists its own /proc/self/fd, less the directory it reads. No shell in between: a shell opens
 * pipes and blocks signals around each fork, so what it shows depends on timing.
 */
async function fdsOfChild(stdio: SpawnOptions["stdio"]): Promise<Map<number, string>> {
  const child = spawn("ls", ["-ln", "/proc/self/fd"], { stdio });
  const [status, out] = await Promise.all([child.exited, text(child.stdout!)]);
  assert.equal(status.code, 0);
  const fds = new Map<number, string>();
  for (const [, fd, target] of out.matchAll(/ (\d+) -> (.*)$/gm)) {
    if (target !== `/proc/${child.pid}/fd`) fds.set(Number(fd), target!);
  }
  return fds;
}

/** The session id of a running process (/proc/<pid>/stat field 6). */
function sessionOf(pid: number): number {
  return Number(procFields(pid)![3]);
}

describe("spawn()", () => {
  describe("exit statuses", () => {
    for (const code of [0, 1, 7, 255]) {
      it(`exit ${code}`, async () => {
        const { status } = await sh(`exit ${code}`);
        assert.equal(status.kind, "exited");
        assert.equal(status.code, code);
        assert.equal(status.raw, code << 8);
        assert.equal(status.signal, null);
      });
    }

    for (const [signal, number] of [["SIGTERM", 15], ["SIGKILL", 9]] as const) {
      it(`death by ${signal}`, async () => {
        const { status } = await sh(`kill -${signal.slice(3)} $$; sleep 5`);
        assert.equal(status.kind, "signaled");
        assert.equal(status.signal, signal);
        assert.equal(status.signalNumber, number);
        assert.equal(status.code, null);
        assert.equal(status.coreDumped, false);
      });
    }

    it("a core dump (RLIMIT_CORE unlimited, core_pattern writing into the cwd) gives coreDumped", async function () {
      const pattern = fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8").trim();
      // A pipe pattern or an absolute directory may refuse or divert the dump: only a plain
      // file name relative to the cwd makes the dump deterministic here.
      if (pattern.startsWith("|") || pattern.includes("/")) this.skip();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-core-"));
      try {
        const { status } = await sh("ulimit -c unlimited; kill -SEGV $$", { cwd: dir });
        assert.equal(status.signal, "SIGSEGV");
        assert.equal(status.coreDumped, true);
        assert.equal(status.raw, 0x80 | 11);
        assert.ok(fs.readdirSync(dir).length > 0, "the core file is in the cwd");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("RLIMIT_CORE 0: killed by SIGSEGV without a core dump", async () => {
      const { status } = await sh("ulimit -c 0; kill -SEGV $$");
      assert.equal(status.signal, "SIGSEGV");
      assert.equal(status.coreDumped, false);
      assert.equal(status.raw, 11);
    });
  });

  describe("stdio", () => {
    it("pipes carry data both ways", async () => {
      const child = spawn("sh", ["-c", "while read line; do echo \"out:$line\"; echo \"err:$line\" >&2; done; exit 3"]);
      const out = text(child.stdout!);
      const err = text(child.stderr!);
      child.stdin!.write("one\n");
      child.stdin!.end("two\n");
      const status = await child.exited;
      assert.equal(status.code, 3);
      assert.equal(await out, "out:one\nout:two\n");
      assert.equal(await err, "err:one\nerr:two\n");
    });

    it("a large payload round-trips through cat", async () => {
      const payload = Buffer.alloc(1 << 20, "abcdefgh");
      const child = spawn("cat", [], { stdio: ["pipe", "pipe", "ignore"] });
      child.stdin!.end(payload);
      const [status, out] = await Promise.all([child.exited, text(child.stdout!)]);
      assert.equal(status.code, 0);
      assert.equal(out, payload.toString());
    });

    it("the child gets exactly its stdio fds, and Node's ignored signals are reset", async () => {
      assert.deepEqual([...(await fdsOfChild(["ignore", "pipe", "ignore"])).keys()], [0, 1, 2]);
      const child = spawn("grep", ["-E", "^Sig(Ign|Blk)", "/proc/self/status"], { stdio: ["ignore", "pipe", "inherit"] });
      const lines = (await text(child.stdout!)).trim().split("\n");
      const ignored = BigInt(`0x${lines.find((l) => l.startsWith("SigIgn"))!.split(/\s+/)[1]}`);
      const blocked = BigInt(`0x${lines.find((l) => l.startsWith("SigBlk"))!.split(/\s+/)[1]}`);
      assert.equal(ignored & ((1n << 12n) | (1n << 24n)), 0n, "SIGPIPE (13) and SIGXFSZ (25) are not ignored");
      assert.equal(blocked, 0n);
    });

    it("'ignore' is /dev/null and an fd number is passed as that fd", async () => {
      const file = path.join(os.tmpdir(), `pidfd-stdio-${process.pid}`);
      const fd = fs.openSync(file, "w");
      try {
        const child = spawn("sh", ["-c", "readlink /proc/$$/fd/0; echo to-file"], { stdio: ["ignore", fd, "inherit"] });
        assert.equal(child.stdin, null);
        assert.equal(child.stdout, null);
        assert.equal((await child.exited).code, 0);
        assert.equal(fs.readFileSync(file, "utf8"), "/dev/null\nto-file\n");
      } finally {
        fs.closeSync(fd);
        fs.rmSync(file, { force: true });
      }
    });

    it("fds swapped between child fd numbers reach the right targets", async () => {
      const fileA = path.join(os.tmpdir(), `pidfd-swap-a-${process.pid}`);
      const fileB = path.join(os.tmpdir(), `pidfd-swap-b-${process.pid}`);
      const a = fs.openSync(fileA, "w");
      const b = fs.openSync(fileB, "w");
      try {
        // The child's fd a is our b and its fd b is our a: a plain dup2 sequence would lose one.
        // No holes (spawn refuses them): the undefined entries above 2 are "ignore".
        const standard: (number | "ignore" | "pipe" | undefined)[] = ["ignore", "pipe", "ignore"];
        const stdio = Array.from({ length: Math.max(a, b) + 1 }, (_, i) => standard[i]);
        stdio[a] = b;
        stdio[b] = a;
        const fds = await fdsOfChild(stdio);
        assert.equal(fds.get(a), fs.realpathSync(fileB));
        assert.equal(fds.get(b), fs.realpathSync(fileA));
        assert.equal(fds.size, stdio.length, "no other fd reaches the child");
      } finally {
        fs.closeSync(a);
        fs.closeSync(b);
        fs.rmSync(fileA, { force: true });
        fs.rmSync(fileB, { force: true });
      }
    });
  });

  describe("options", () => {
    it("cwd, env and argv0", async () => {
      const { out } = await sh('pwd; echo "$FOO"; echo "$0"', { cwd: "/tmp", env: { FOO: "bar", PATH: process.env.PATH }, argv0: "custom-name" });
      assert.equal(out, `${fs.realpathSync("/tmp")}\nbar\ncustom-name\n`);
    });

    it("without env, the child gets process.env as it is now (set and deleted variables)", async () => {
      process.env.PIDFD_SPAWN_ADDED = "added";
      process.env.PIDFD_SPAWN_DELETED = "deleted";
      delete process.env.PIDFD_SPAWN_DELETED;
      try {
        const { out } = await sh('echo "$PIDFD_SPAWN_ADDED/${PIDFD_SPAWN_DELETED-unset}"');
        assert.equal(out, "added/unset\n");
      } finally {
        delete process.env.PIDFD_SPAWN_ADDED;
      }
    });

    it("detached starts a new session", async () => {
      const child = spawn("sleep", ["5"], { stdio: "ignore", detached: true });
      const attached = spawn("sleep", ["5"], { stdio: "ignore" });
      try {
        assert.equal(sessionOf(child.pid), child.pid);
        assert.equal(sessionOf(attached.pid), sessionOf(process.pid));
      } finally {
        child.kill("SIGKILL");
        attached.kill("SIGKILL");
        await Promise.all([child.exited, attached.exited]);
      }
    });

    it("timeout kills the child with killSignal and exited gives that signal", async () => {
      const child = spawn("sleep", ["10"], { stdio: "ignore", timeout: 50, killSignal: "SIGKILL" });
      const status = await child.exited;
      assert.equal(status.signal, "SIGKILL");
    });

    it("aborting the signal kills the child (default killSignal SIGTERM)", async () => {
      const controller = new AbortController();
      const child = spawn("sleep", ["10"], { stdio: "ignore", signal: controller.signal });
      controller.abort();
      const status = await child.exited;
      assert.equal(status.signal, "SIGTERM");
    });

    it("an already aborted signal throws AbortError and starts nothing", () => {
      const before = openFds().length;
      assert.throws(() => spawn("sleep", ["10"], { signal: AbortSignal.abort() }), { name: "AbortError", code: "ABORT_ERR" });
      assert.equal(openFds().length, before);
    });

    it("kill() goes through the pidfd and does nothing after the child was reaped", async () => {
      const child = spawn("sleep", ["10"], { stdio: "ignore" });
      child.kill();
      assert.equal((await child.exited).signal, "SIGTERM");
      assert.equal(child.pidfd.fd, -1, "the Subprocess releases its fd once reaped");
      assert.equal(child.pidfd.closed, false, "released, not closed: it still answers");
      child.kill("SIGKILL"); // no-op
      assert.throws(() => child.kill("SIGNOPE" as NodeJS.Signals), { code: "ERR_UNKNOWN_SIGNAL" });
    });
  });

  describe("errors", () => {
    let nonExecutable: string;
    before(() => {
      nonExecutable = path.join(os.tmpdir(), `pidfd-noexec-${process.pid}`);
      fs.writeFileSync(nonExecutable, "#!/bin/sh\nexit 0\n", { mode: 0o644 });
    });
    after(() => fs.rmSync(nonExecutable, { force: true }));

    const cases: [string, () => Subprocess, string][] = [
      ["a missing file", () => spawn("pidfd-no-such-program", ["x"], { stdio: "pipe" }), "ENOENT"],
      ["a missing path", () => spawn("/nonexistent/prog"), "ENOENT"],
      ["a file without exec permission", () => spawn(nonExecutable), "EACCES"],
      ["a missing cwd", () => spawn("true", [], { cwd: "/nonexistent-dir" }), "ENOENT"],
      ["a cwd that is a file", () => spawn("true", [], { cwd: "/etc/hostname" }), "ENOTDIR"],
    ];
    for (const [name, start, code] of cases) {
      it(`${name}: ${code}, thrown synchronously, with no fd or zombie left`, () => {
        const fdsBefore = openFds().length;
        const error = (() => {
          try {
            start();
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        assert.ok(error instanceof PidFdError, `threw ${String(error)}`);
        assert.equal(error.code, code);
        assert.equal(error.errno, -os.constants.errno[code as keyof typeof os.constants.errno]);
        assert.equal(error.syscall, "posix_spawnp");
        assert.equal(openFds().length, fdsBefore);
        assert.deepEqual(zombieChildren(), []);
        if (name.includes("cwd")) assert.match(error.message, /cwd/);
      });
    }

    it("bad arguments: TypeError / RangeError with Node's codes", () => {
      assert.throws(() => spawn(42 as unknown as string), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
      assert.throws(() => spawn(""), { code: "ERR_INVALID_ARG_VALUE" });
      assert.throws(() => spawn("true", "x" as unknown as string[]), { code: "ERR_INVALID_ARG_TYPE" });
      assert.throws(() => spawn("true", ["a\0b"]), { code: "ERR_INVALID_ARG_VALUE" });
      assert.throws(() => spawn("true", [], { stdio: ["pipe", "bogus" as "pipe"] }), { code: "ERR_INVALID_ARG_VALUE" });
      assert.throws(() => spawn("true", [], { stdio: [-1] }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
      assert.throws(() => spawn("true", [], { timeout: -1 }), { code: "ERR_OUT_OF_RANGE" });
      assert.throws(() => spawn("true", [], { killSignal: "SIGNOPE" as NodeJS.Signals }), { code: "ERR_UNKNOWN_SIGNAL" });
      assert.throws(() => spawn("true", [], { signal: {} as AbortSignal }), { code: "ERR_INVALID_ARG_TYPE" });
    });

    it("a closed fd given as stdio: EBADF, nothing left behind", () => {
      const fd = fs.openSync("/dev/null", "r");
      fs.closeSync(fd);
      const before = openFds().length;
      assert.throws(() => spawn("true", [], { stdio: ["ignore", fd, "ignore"] }), { code: "EBADF" });
      assert.equal(openFds().length, before);
      assert.deepEqual(zombieChildren(), []);
    });
  });
});
