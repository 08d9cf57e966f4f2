// The C and Python references run as long-lived worker processes (bench/c/ops.c,
// bench/python/ops.py): they stay warm between rounds and time their own loops. Protocol, one
// line each way: "<op> <n>" -> "ok <elapsed ns>" | "skip <reason>" | "err <reason>"; "quit".
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { once } from "node:events";
import readline from "node:readline";
import { Missing, type Loop } from "./harness.js";

/** The repository root (dist/bench/workers.js is two levels down). */
export const ROOT = new URL("../../", import.meta.url);

export class Worker {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #lines: AsyncIterator<string>;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    this.#lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  /** Starts `command` and waits for its "ready" line. */
  static async start(name: string, command: string, args: string[]): Promise<Worker> {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
    await Promise.race([once(child, "spawn"), once(child, "error").then(([error]) => { throw error; })]);
    const worker = new Worker(name, child);
    const first = await worker.#next();
    if (first !== "ready") {
      await worker.stop();
      throw new Error(`${name} worker did not start: ${first}`);
    }
    return worker;
  }

  async #next(): Promise<string> {
    const line = await this.#lines.next();
    if (line.done) throw new Error(`${this.name} worker exited`);
    return line.value;
  }

  /** Runs `op` n times in the worker: elapsed ns; throws with the worker's reason otherwise. */
  async run(op: string, n: number): Promise<number> {
    return Number((await this.request(`${op} ${n}`))[0]);
  }

  /** Sends one command line: the words after "ok"; throws with the worker's reason otherwise. */
  async request(line: string): Promise<string[]> {
    this.#child.stdin!.write(`${line}\n`);
    const reply = await this.#next();
    const [status, ...rest] = reply.split(" ");
    if (status === "ok") return rest;
    if (status === "skip") throw new Missing(rest.join(" "));
    throw new Error(`${this.name}: ${rest.join(" ")}`);
  }

  /** A Loop running `op` in this worker. */
  loop(op: string): Loop {
    return (n) => this.run(op, n);
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, "exit");
    this.#child.stdin!.end("quit\n");
    await exited;
  }
}

/** The C worker, compiled now with the system `cc`; or why it cannot run. */
export async function startC(): Promise<Worker | string> {
  const source = new URL("bench/c/ops.c", ROOT);
  const binary = new URL("build/bench/ops", ROOT);
  fs.mkdirSync(new URL("build/bench/", ROOT), { recursive: true });
  const cc = process.env.CC ?? "cc";
  const built = spawnSync(cc, ["-O2", "-Wall", "-o", binary.pathname, source.pathname], { encoding: "utf8" });
  if (built.error) return `skipped: no C compiler (${cc}: ${(built.error as NodeJS.ErrnoException).code})`;
  if (built.status !== 0) return `skipped: ${cc} failed: ${built.stderr.trim().split("\n")[0]}`;
  return Worker.start("C", binary.pathname, []);
}

/**
 * The exit-latency child (bench/c/sleeper.c), compiled now, static when the toolchain can: its
 * path, or why there is none.
 */
export function buildSleeper(): { path: string } | string {
  const source = new URL("bench/c/sleeper.c", ROOT).pathname;
  const binary = new URL("build/bench/sleeper", ROOT).pathname;
  fs.mkdirSync(new URL("build/bench/", ROOT), { recursive: true });
  const cc = process.env.CC ?? "cc";
  let built = spawnSync(cc, ["-O2", "-static", "-o", binary, source], { encoding: "utf8" });
  if (!built.error && built.status !== 0) built = spawnSync(cc, ["-O2", "-o", binary, source], { encoding: "utf8" });
  if (built.error) return `skipped: no C compiler (${cc}: ${(built.error as NodeJS.ErrnoException).code})`;
  if (built.status !== 0) return `skipped: ${cc} failed: ${built.stderr.trim().split("\n")[0]}`;
  return { path: binary };
}

/** The Python stdlib worker; or why it cannot run. */
export async function startPython(): Promise<Worker | string> {
  const python = process.env.PYTHON ?? "python3";
  try {
    return await Worker.start("Python", python, [new URL("bench/python/ops.py", ROOT).pathname]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `skipped: ${code === "ENOENT" ? `no ${python}` : (error as Error).message}`;
  }
}

/** The no-op worker (bench/noop_worker.ts): the public API on the no-op kernel, in a Node process of its own. */
export async function startNoop(): Promise<Worker | string> {
  try {
    return await Worker.start("no-op", process.execPath, [new URL("noop_worker.js", import.meta.url).pathname]);
  } catch (error) {
    return `skipped: ${(error as Error).message}`;
  }
}

/** The version line of the worker's runtime, for the report. */
export function versionOf(command: string, args: string[]): string | undefined {
  const out = spawnSync(command, args, { encoding: "utf8" });
  if (out.error || out.status !== 0) return undefined;
  return `${out.stdout}${out.stderr}`.trim().split("\n")[0];
}
