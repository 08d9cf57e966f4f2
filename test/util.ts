// Shared test helpers: children we spawn ourselves, and fd accounting.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { once } from "node:events";

/** The fds this process has open now. */
export function openFds(): string[] {
  return fs.readdirSync("/proc/self/fd");
}

/**
 * Spawns `sh -c script` with piped stdin/stdout (Node's child_process owns and reaps it) and
 * waits until it runs. Scripts `exec` their last command so that killing the child leaves no
 * orphan behind (PID 1 here never reaps orphans).
 */
export async function spawnShell(script: string): Promise<ChildProcess> {
  const child = spawn("sh", ["-c", script], { stdio: ["pipe", "pipe", "inherit"] });
  await once(child, "spawn");
  return child;
}

/** Resolves with [code, signal] when `child` exits (immediately if it already has). */
export function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve([child.exitCode, child.signalCode]);
  return once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
}

/** Kills `child` if it still runs and waits for Node to reap it. */
export async function cleanup(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exitOf(child);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
