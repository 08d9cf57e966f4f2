// Runs examples/deno/host.ts with the `deno` binary of the devDependency, inside Deno's sandbox:
// read access to build/pidfd.wasm and FFI, nothing else (no env, no run, no write, no net).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** node_modules/.bin/deno, the npm package's bin. */
export const DENO = `${ROOT}node_modules/.bin/deno`;

/** The permissions the Deno host runs with. */
export const DENO_PERMISSIONS = ["--no-prompt", "--no-config", `--allow-read=${ROOT}build/pidfd.wasm`, "--allow-ffi"];

/** What examples/deno/host.ts prints. */
export interface DenoHostReport {
  getPid: number;
  getPpid: number;
  info: { mask: number; pid: number; ppid: number; creds: Record<string, number>; cgroupId: string };
  id: string;
  namespaces: Record<string, string>;
  signal0: number;
  isPidfd: number;
  wait: { raw: number; kind: string; value: number };
  waitAsync: { raw: number; kind: string; value: number; loopRan: boolean };
}

/** Runs the Deno host on `pid`: its JSON report and what it wrote to stderr (the trace with --trace). */
export async function runDenoHost(pid: number, ...flags: string[]): Promise<{ report: DenoHostReport; stderr: string }> {
  const { stdout, stderr } = await promisify(execFile)(DENO, ["run", ...DENO_PERMISSIONS, `${ROOT}examples/deno/host.ts`, String(pid), ...flags],
    { cwd: ROOT, encoding: "utf8" });
  return { report: JSON.parse(stdout) as DenoHostReport, stderr };
}
