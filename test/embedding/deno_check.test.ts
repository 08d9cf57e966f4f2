// `deno check` of examples/deno: the example type-checks against "pidfd/portable" in this
// repository and in a project that installed the package, where Deno has no Node types (none
// installed): the runtime-neutral declarations need none.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DENO, ROOT } from "./deno.js";

const run = promisify(execFile);

/** Runs `deno check` of host.ts in `cwd`: its exit code and output. */
async function denoCheck(cwd: string, ...flags: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(DENO, ["check", ...flags, "host.ts"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("deno check of examples/deno", () => {
  it("passes in this repository (the package resolves itself; sloppy imports find each .js's .d.ts)", async function () {
    this.timeout(120000);
    const { code, output } = await denoCheck(path.join(ROOT, "examples/deno"), "--unstable-sloppy-imports");
    assert.equal(code, 0, output);
    assert.match(output, /Check .*host\.ts/);
  });

  it("passes in a project that installed the package, with no Node types there", async function () {
    this.timeout(120000);
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-deno-"));
    try {
      const installed = path.join(project, "node_modules/pidfd");
      for (const part of ["package.json", "dist/host", "build/pidfd.wasm"]) fs.cpSync(path.join(ROOT, part), path.join(installed, part), { recursive: true });
      for (const file of ["host.ts", "libc_syscalls.ts"]) fs.copyFileSync(path.join(ROOT, "examples/deno", file), path.join(project, file));
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ type: "module", dependencies: { pidfd: "0.1.0" } }));
      assert.equal(fs.existsSync(path.join(project, "node_modules/@types/node")), false);
      const { code, output } = await denoCheck(project);
      assert.equal(code, 0, output);
      // The check sees the declarations: a wrong use of them fails.
      fs.appendFileSync(path.join(project, "host.ts"), 'const wrong: string = RESULT.pid;\nconsole.log(wrong);\n');
      const broken = await denoCheck(project);
      assert.notEqual(broken.code, 0);
      assert.match(broken.output, /TS2322/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
