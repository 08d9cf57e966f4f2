// Runs the built `pidfd` command (dist/host/cli/main.js) as a child process.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../host/cli/main.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pidfd ...args` to completion. */
export function pidfd(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A pid that names no process: pid_max itself is never assigned. */
export function unusedPid(): number {
  return Number(fs.readFileSync("/proc/sys/kernel/pid_max", "utf8").trim());
}

/** Spawns `sleep 30` (Node's child_process owns and reaps it) and waits until it runs. */
export async function sleepingChild(): Promise<ChildProcess & { pid: number }> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  await once(child, "spawn");
  return child as ChildProcess & { pid: number };
}
