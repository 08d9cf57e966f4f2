// What this kernel reports in getInfo().coredump (PIDFD_INFO_COREDUMP, Linux 6.16): the
// dumpability of a running process, and after a real core dump (SIGQUIT, RLIMIT_CORE unlimited)
// whether pidfs recorded it: only for a dump to a core_pattern socket, not to a file.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PidFd } from "../../host/index.js";
import { cleanup, exitOf, firstLine } from "../util.js";

const CORE_PATTERN = "/proc/sys/kernel/core_pattern";
const NONE = { dumped: false, skipped: false, user: false, root: false };

/** Whether fs/coredump.c hands a dump under `pattern` to pidfs_coredump(): a socket, or a pipe given %F. */
function pidfsRecords(pattern: string): boolean {
  return pattern.startsWith("@") || (pattern.startsWith("|") && pattern.includes("%F"));
}

/** A shell in `dir` that may dump core (ulimit -c unlimited), says "ready" and waits for its stdin. */
async function dumpable(dir: string): Promise<ReturnType<typeof spawn>> {
  const child = spawn("sh", ["-c", "ulimit -c unlimited; echo ready; read x"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  assert.equal(await firstLine(child), "ready");
  return child;
}

describe("getInfo().coredump on this kernel", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-coredump-")); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a running process: how it would be dumped (user), never dumped", async () => {
    const child = await dumpable(dir);
    try {
      using pidfd = PidFd.open(child.pid!);
      assert.deepEqual({ ...pidfd.getInfo().coredump, signal: undefined }, { mask: 4, ...NONE, user: true, signal: undefined });
    } finally {
      await cleanup(child);
    }
  });

  it("a process that made itself non-dumpable (prctl PR_SET_DUMPABLE 0): skipped", async () => {
    const script = "import ctypes, sys; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); print('ready', flush=True); sys.stdin.read()";
    const child = spawn("python3", ["-c", script], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      assert.equal(await firstLine(child), "ready");
      using pidfd = PidFd.open(child.pid!);
      const coredump = pidfd.getInfo().coredump!;
      assert.deepEqual({ ...coredump, signal: undefined }, { mask: 2, ...NONE, skipped: true, signal: undefined });
    } finally {
      await cleanup(child);
    }
  });

  it("a core dump to core_pattern's file: the exit status says so, pidfs records nothing", async function () {
    const pattern = fs.readFileSync(CORE_PATTERN, "utf8").trim();
    const child = await dumpable(dir);
    try {
      using pidfd = PidFd.open(child.pid!);
      pidfd.sendSignal("SIGQUIT");
      await exitOf(child); // Node reaps it: the info below is what pidfs kept
      const info = pidfd.getInfo();
      assert.equal(info.exit?.signal, "SIGQUIT");
      if (pattern === "core") {
        assert.equal(info.exit?.coreDumped, true);
        assert.ok(fs.existsSync(path.join(dir, "core")), "the core file is written in the cwd");
      }
      const dumped = info.exit!.coreDumped && pidfsRecords(pattern);
      assert.deepEqual({ dumped: info.coredump!.dumped, root: info.coredump!.root, skipped: info.coredump!.skipped }, { dumped, root: false, skipped: false });
      if (!dumped) assert.equal(info.coredump!.mask, 0, `core_pattern ${pattern}`);
      assert.equal(info.coredump!.signal, null); // PIDFD_INFO_COREDUMP_SIGNAL is Linux 6.19
    } finally {
      await cleanup(child);
    }
  });

  it("a core dump to a core_pattern socket (@path): dumped as the user, after the reap", async function () {
    // core_pattern is the machine's: set for as long as the kernel takes to connect, restored
    // as soon as the dump's connection arrives (and at exit, whatever happens).
    const saved = fs.readFileSync(CORE_PATTERN, "utf8");
    const restore = (): void => fs.writeFileSync(CORE_PATTERN, saved);
    const socketPath = path.join(dir, "core.sock");
    let received = 0;
    const server = net.createServer();
    const dumpRead = new Promise<void>((resolve) => server.once("connection", (socket) => {
      restore();
      socket.on("data", (chunk: Buffer) => { received += chunk.length; });
      socket.on("end", resolve);
    }));
    server.listen(socketPath);
    await once(server, "listening");
    const child = await dumpable(dir);
    process.once("exit", restore);
    try {
      using pidfd = PidFd.open(child.pid!);
      fs.writeFileSync(CORE_PATTERN, `@${socketPath}`);
      pidfd.sendSignal("SIGQUIT");
      await Promise.all([dumpRead, exitOf(child)]);
      const info = pidfd.getInfo();
      assert.equal(info.exit?.signal, "SIGQUIT");
      assert.equal(info.exit?.coreDumped, true);
      assert.ok(received > 0, "the kernel wrote the core to the socket");
      assert.deepEqual({ ...info.coredump, signal: undefined }, { mask: 5, ...NONE, dumped: true, user: true, signal: undefined });
    } finally {
      restore();
      process.removeListener("exit", restore);
      server.close();
      await cleanup(child);
    }
  });
});
