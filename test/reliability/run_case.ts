// Runs a reliability case in a child process (node on a compiled fixture, fixtures/*.ts), so that
// a crash of the case (SIGSEGV) fails its test instead of ending the mocha run.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** How a case ended, and the JSON report it printed last on stdout (null if it printed none). */
export interface CaseResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  report: unknown;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** Runs `node fixtures/<fixture>.js ...args` and resolves once it has exited. */
export async function runCase(fixture: string, ...args: string[]): Promise<CaseResult> {
  const file = fileURLToPath(new URL(`./fixtures/${fixture}.js`, import.meta.url));
  const child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  running.delete(child);
  const last = stdout.trim().split("\n").pop();
  return { code, signal, report: last ? JSON.parse(last) : null, stderr };
}

/** Kills (and lets Node reap) the cases still running: for afterEach, when a test failed mid-way. */
export async function stopCases(): Promise<void> {
  await Promise.all([...running].map(async (child) => {
    child.kill("SIGKILL");
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  }));
}

/** The case exited 0 without a signal; returns its report. */
export function reportOf(result: CaseResult): unknown {
  assert.equal(result.signal, null, `the case was killed by ${result.signal}:\n${result.stderr}`);
  assert.equal(result.code, 0, `the case failed:\n${result.stderr}`);
  return result.report;
}
