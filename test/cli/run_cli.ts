// Runs the built `pidfd` command (dist/host/cli/main.js) as a child process.
import { execFile } from "node:child_process";
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
