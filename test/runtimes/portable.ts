// What every runtime must do with the public API, beside the behaviour suite: spawn, exited (also
// under fake timers), waitAsync, terminate, signals and info on a spawned child, many concurrent waits (the case that
// hung on Deno's uv_poll), unref() letting the runtime end, worker threads, and the CLI run by the
// same runtime.
// Children block on a gate (their stdin, or a pipe) until the test lets them go: no timing.
import assert from "node:assert/strict";
import { execFile, spawn as spawnChild } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { PidFd, spawn, type Subprocess } from "../../host/index.js";
import { procStateOf, until } from "../util.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = `${ROOT}dist/host/cli/main.cjs`;

/** How this runtime runs a script: PIDFD_RUNTIME_COMMAND (a JSON array, from run.ts), else our executable. */
export function runtimeCommand(): string[] {
  const given = process.env.PIDFD_RUNTIME_COMMAND;
  return given ? (JSON.parse(given) as string[]) : [process.execPath];
}

/** Runs `script` (a file) with this runtime: its stdout, stderr and exit code. */
async function runScript(file: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const [command, ...prefix] = runtimeCommand();
  try {
    const { stdout, stderr } = await promisify(execFile)(command!, [...prefix, file, ...args], { encoding: "utf8" });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : -1 };
  }
}

/** A child that runs until a line arrives on its stdin, then exits with that line as its code. */
function gated(): Subprocess {
  return spawn("sh", ["-c", 'read code; exit "$code"'], { stdio: ["pipe", "ignore", "inherit"] });
}

describe("the public API on this runtime", () => {
  const running: Subprocess[] = [];
  afterEach(() => {
    for (const child of running.splice(0)) child.close();
  });
  const track = (child: Subprocess): Subprocess => (running.push(child), child);

  it("spawn: exited gives the code; exitCode and the PidFd agree", async () => {
    const child = track(gated());
    child.stdin!.end("7\n");
    const status = await child.exited;
    assert.equal(status.kind, "exited");
    assert.equal(status.code, 7);
    assert.equal(child.exitCode, 7);
    assert.equal(child.pidfd.isAlive(), false);
  });

  it("exited settles while fake timers own setImmediate (installed after the library loaded, as jest's and sinon's are)", async () => {
    const child = track(gated());
    const real = globalThis.setImmediate;
    const never = (() => ({})) as unknown as typeof setImmediate; // a fake whose immediates run only when its clock is ticked
    globalThis.setImmediate = never;
    try {
      child.stdin!.end("4\n");
      assert.equal((await child.exited).code, 4);
    } finally {
      globalThis.setImmediate = real;
    }
  });

  it("PidFd.open on a spawned child: getInfo names it and us; sendSignal kills it; waitAsync gives the signal", async () => {
    const child = track(spawn("sleep", ["1000"]));
    const pf = PidFd.open(child.pid);
    try {
      assert.equal(pf.getPid(), child.pid);
      const info = pf.getInfo();
      assert.equal(info.pid, child.pid);
      pf.sendSignal("TERM");
      const status = await pf.waitAsync();
      assert.equal(status?.kind, "signaled");
      assert.equal(status?.signal, "SIGTERM");
    } finally {
      pf.close();
    }
    assert.equal((await child.exited).signal, "SIGTERM");
  });

  it("two concurrent waits: the second resolves after the first (spawn a, b; await a; kill b)", async () => {
    const a = track(gated());
    const b = track(gated());
    a.stdin!.end("3\n");
    assert.equal((await a.exited).code, 3);
    b.kill("SIGKILL");
    assert.equal((await b.exited).signal, "SIGKILL");
  });

  it("200 concurrent waits, released in reverse order, each with its own code", async () => {
    const children = Array.from({ length: 200 }, () => track(gated()));
    const statuses = Promise.all(children.map((child) => child.exited));
    for (let i = children.length - 1; i >= 0; i--) children[i]!.stdin!.end(`${i % 256}\n`);
    assert.deepEqual((await statuses).map((status) => status.code), children.map((_, i) => i % 256));
  });

  it("waitAsync on an exited child (zombie or already reaped by its Subprocess), then again: the same status", async () => {
    const child = track(gated());
    child.stdin!.end("5\n");
    await until(() => [null, "Z"].includes(procStateOf(child.pid)));
    const first = await child.pidfd.waitAsync();
    assert.equal(first?.code, 5);
    assert.equal(await child.pidfd.waitAsync(), first);
  });

  it("terminate: SIGTERM ignored, SIGKILL after the timeout", async () => {
    const ready = fs.mkdtempSync("/tmp/pidfd-runtimes-");
    const child = track(spawn("sh", ["-c", `trap '' TERM; : > ${ready}/trapped; exec sleep 1000`]));
    try {
      await until(() => fs.existsSync(`${ready}/trapped`));
      const status = await child.pidfd.terminate({ timeout: 200 });
      assert.equal(status?.signal, "SIGKILL");
    } finally {
      fs.rmSync(ready, { recursive: true, force: true });
    }
  });

  it("unref(): the runtime ends while the child runs on", async () => {
    const script = `${ROOT}dist/test/runtimes/unref_child.js`;
    const { stdout, code, stderr } = await runScript(script, []);
    assert.equal(code, 0, stderr);
    const pid = Number(stdout.trim());
    assert.ok(pid > 0, stdout);
    try {
      assert.notEqual(procStateOf(pid), null, "the child outlived the runtime");
    } finally {
      process.kill(pid, "SIGKILL");
    }
  });

  it("worker threads: each waits on its own child; a terminated worker's pending child is killed and reaped", async () => {
    const url = new URL("./worker_child.js", import.meta.url);
    const statuses = await Promise.all([1, 2].map(async () => {
      const worker = new Worker(url, { workerData: "exit" });
      // Listened for at once: a worker that ends quickly has its last message and 'exit' emitted together.
      const exited = once(worker, "exit");
      const [status] = (await once(worker, "message")) as [string];
      await exited;
      return status;
    }));
    assert.deepEqual(statuses, ["exited with code 9", "exited with code 9"]);
    const worker = new Worker(url, { workerData: "hang" });
    try {
      const [pid] = (await once(worker, "message")) as [number];
      assert.notEqual(procStateOf(pid), null, "the child runs");
      await worker.terminate();
      await until(() => procStateOf(pid) === null);
    } finally {
      await worker.terminate();
    }
  });

  it("the CLI: run gives the command's status; kill --wait signals a process of ours and waits for its end", async () => {
    assert.equal((await runScript(CLI, ["run", "--", "sh", "-c", "exit 4"])).code, 4);
    const sleeper = spawnChild("sleep", ["1000"], { stdio: "ignore" });
    const exited = new Promise((resolve) => sleeper.once("exit", (_code, signal) => resolve(signal)));
    const killed = await runScript(CLI, ["kill", "--wait", "-s", "KILL", String(sleeper.pid)]);
    assert.equal(killed.code, 0, killed.stderr);
    assert.equal(await exited, "SIGKILL");
  });
});
