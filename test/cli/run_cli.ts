// Runs the built `pidfd` command (dist/host/cli/main.cjs, package.json's bin) as a child process.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { PidFd, PidFdError } from "../../host/index.js";
import { cleanup } from "../util.js";

export const CLI = fileURLToPath(new URL("../../host/cli/main.cjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pidfd ...args` to completion. */
export function pidfd(...args: string[]): Promise<CliResult> {
  return pidfdAt(CLI, ...args);
}

/** Runs the `pidfd` launcher at `cli` (another install's dist/host/cli/main.cjs) with `args` to completion. */
export function pidfdAt(cli: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A pid that names no process: pid_max itself is never assigned. */
export function unusedPid(): number {
  return Number(fs.readFileSync("/proc/sys/kernel/pid_max", "utf8").trim());
}

/**
 * For the tests of one describe(): `sleeping()` spawns `sleep 30` (see sleepingChild), `add()`
 * takes any child; all of them are killed and reaped after each test.
 */
export function childrenOfEachTest(): { sleeping(): Promise<ChildProcess & { pid: number }>; add<T extends ChildProcess>(child: T): T } {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map(cleanup));
  });
  const add = <T extends ChildProcess>(child: T): T => {
    children.push(child);
    return child;
  };
  return { add, sleeping: async () => add(await sleepingChild()) };
}

/** Spawns `sleep 30` (Node's child_process owns and reaps it) and waits until it runs. */
export async function sleepingChild(): Promise<ChildProcess & { pid: number }> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  await once(child, "spawn");
  return child as ChildProcess & { pid: number };
}

/** A `pidfd` process running in the background. */
export interface RunningCli {
  readonly process: ChildProcess & { pid: number };
  /** Resolves with the first `count` lines written on its stdout (by it or by the command it runs). */
  lines(count: number): Promise<string[]>;
  /** Resolves once it has exited and its stdout and stderr are closed. */
  readonly result: Promise<CliResult>;
}

/** Starts `pidfd ...args` (stdin /dev/null, stdout and stderr collected) and waits until it runs. */
export async function startPidfd(...args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const result = once(child, "close").then(([code]) => ({ code: code as number | null, stdout, stderr }));
  await once(child, "spawn");
  return {
    process: child as ChildProcess & { pid: number },
    result,
    lines: (count) => new Promise((resolve, reject) => {
      const check = (): void => {
        const lines = stdout.split("\n");
        if (lines.length <= count) return;
        child.stdout.off("data", check);
        resolve(lines.slice(0, count));
      };
      child.stdout.on("data", check);
      void result.then((end) => reject(new Error(`pidfd exited (${end.code}) before writing ${count} lines: ${end.stderr}`)));
      check();
    }),
  };
}

/**
 * Resolves once the running `pidfd` holds a pidfd on `pid` (one of its fds has "Pid: <pid>" in
 * /proc/<its pid>/fdinfo); rejects if it exits first. Lets a test act on `pid` only once the
 * command cannot miss it.
 */
export async function untilHolding(cli: RunningCli, pid: number): Promise<void> {
  const dir = `/proc/${cli.process.pid}/fdinfo`;
  const holds = new RegExp(`^Pid:\\s+${pid}$`, "m");
  for (;;) {
    if (cli.process.exitCode !== null || cli.process.signalCode !== null) {
      const end = await cli.result;
      throw new Error(`pidfd exited (${end.code}) before it opened a pidfd on ${pid}: ${end.stderr}`);
    }
    try {
      if (fs.readdirSync(dir).some((fd) => holds.test(readOrEmpty(`${dir}/${fd}`)))) return;
    } catch {
      // it has just exited: the loop says so
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/**
 * Runs `pidfd run ...options -- sh -c script`, where the script first prints its pid and then
 * `lines - 1` more lines, the last one once it is ready for the signal (its traps set); once it
 * has, sends `signal` to pidfd run (not to the command). pidfd run forwards from before the
 * command starts, so any line of the command's means it will. Resolves with pidfd run's result
 * and the command's pid. Kills both if they still run.
 */
export async function signalRun(options: string[], script: string, signal: NodeJS.Signals, lines = 1): Promise<CliResult & { pid: number }> {
  const cli = await startPidfd("run", ...options, "--", "sh", "-c", `echo $$; ${script}`);
  let command: PidFd | undefined;
  try {
    const [pid] = await cli.lines(lines);
    command = PidFd.open(Number(pid));
    cli.process.kill(signal);
    return { ...(await cli.result), pid: Number(pid) };
  } finally {
    if (command?.isAlive()) command.kill();
    command?.close();
    await cleanup(cli.process);
  }
}

/**
 * A pidfd on the command, or undefined when it has already exited and been reaped (ESRCH). The
 * command printed `pid` a moment ago: only a wrap of pid_max could give it to another process.
 */
export function openUnlessGone(pid: number): PidFd | undefined {
  try {
    return PidFd.open(pid);
  } catch (error) {
    if (error instanceof PidFdError && error.code === "ESRCH") return undefined;
    throw error;
  }
}

/**
 * Runs `attempt` `tries` times, four at a time; resolves, once every attempt has ended,
 * with how often each outcome came (an attempt that throws counts as "failed: <message>").
 */
export async function tally(tries: number, attempt: () => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < tries) {
      started++;
      const outcome = await attempt().catch((error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return counts;
}
