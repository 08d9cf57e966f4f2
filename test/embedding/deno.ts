// Runs examples/deno/host.ts with the `deno` binary of the devDependency, inside Deno's sandbox:
// read access to build/pidfd.wasm and FFI, nothing else (no env, no run, no write, no net). Run
// from the package's root, so that "pidfd/portable" resolves to the package itself (its
// package.json "exports"), as in a project that installed it.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** node_modules/.bin/deno, the npm package's bin. */
export const DENO = `${ROOT}node_modules/.bin/deno`;

/** The permissions the Deno host runs with. */
export const DENO_PERMISSIONS = ["--no-prompt", `--allow-read=${ROOT}build/pidfd.wasm`, "--allow-ffi"];

/** ExitStatus.toJSON(). */
export interface StatusJSON { raw: number; kind: string; code: number | null; signal: string | null; signalNumber: number | null; coreDumped: boolean }

/** What examples/deno/host.ts prints (bigints as strings). */
export interface DenoHostReport {
  getPid: number;
  getPpid: number;
  info: Record<string, unknown>;
  id: string;
  namespaces: Record<string, string>;
  signal0: number;
  isPidfd: number;
  wait: StatusJSON;
  signalAfterReap: { name: string; code: string; errno: number; syscall: string; message: string } | null;
  waitAsync: { status: StatusJSON; loopRan: boolean };
}

/** `value` as the Deno host's JSON shows it: bigints as strings. */
export function asReported(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => typeof v === "bigint" ? String(v) : v));
}

/** Runs the Deno host on `pid`: its JSON report and what it wrote to stderr (the trace with --trace). */
export async function runDenoHost(pid: number, ...flags: string[]): Promise<{ report: DenoHostReport; stderr: string }> {
  const { stdout, stderr } = await promisify(execFile)(DENO, ["run", ...DENO_PERMISSIONS, `${ROOT}examples/deno/host.ts`, String(pid), ...flags],
    { cwd: ROOT, encoding: "utf8" });
  return { report: JSON.parse(stdout) as DenoHostReport, stderr };
}
