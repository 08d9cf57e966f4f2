// An install that lacks a file pidfd loads (its bundle, the core) is one line naming the file and
// exit status 125, "pidfd itself failed" (docs/cli.md), never a module loader's stack trace.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pidfdAt } from "./run_cli.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A copy of the package (package.json, dist/host, build/pidfd.wasm; node_modules linked) without `missing`. */
function installWithout(missing: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-install-"));
  try {
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(root, "package.json"));
    fs.cpSync(path.join(ROOT, "dist", "host"), path.join(root, "dist", "host"), { recursive: true });
    fs.cpSync(path.join(ROOT, "build", "pidfd.wasm"), path.join(root, "build", "pidfd.wasm"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"));
    fs.rmSync(path.join(root, missing));
    return root;
  } catch (error) {
    fs.rmSync(root, { recursive: true });
    throw error;
  }
}

/** `pidfd ...args` as installed at `root`. */
function pidfdIn(root: string, ...args: string[]): ReturnType<typeof pidfdAt> {
  return pidfdAt(path.join(root, "dist", "host", "cli", "main.cjs"), ...args);
}

describe("pidfd (cli): a broken install", () => {
  it("without the core: 'pidfd: info: cannot load <core>: No such file or directory', exit 125", async () => {
    const root = installWithout("build/pidfd.wasm");
    try {
      const core = path.join(fs.realpathSync(root), "build", "pidfd.wasm");
      assert.deepEqual(await pidfdIn(root, "info", "self"),
        { code: 125, stdout: "", stderr: `pidfd: info: cannot load ${core}: No such file or directory\n` });
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it("without the bundle: 'pidfd: cannot start: Cannot find module ...', exit 125", async () => {
    const root = installWithout("dist/host/cli_bundle.cjs");
    try {
      const run = await pidfdIn(root, "info", "self");
      assert.equal(run.code, 125);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^pidfd: cannot start: Cannot find module '\.\.\/cli_bundle\.cjs'\n$/);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });
});
