// The published package as a user gets it: `npm pack`, installed offline from the local cache
// into a fresh project. Runtime dependencies are koffi only, the install is small, and the
// library and the CLI work from there.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const run = promisify(execFile);

/** Bytes of every file under `dir`. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * A consumer project that depends on the tarball, with a lockfile pinning the runtime
 * dependencies as our own lockfile does: `npm ci --offline` then takes every package from the
 * local cache by its integrity, as `npm ci` of this repository left them there.
 */
function writeConsumer(dir: string, tarball: string, integrity: string): void {
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, Record<string, unknown>>;
  };
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    name: string; version: string; dependencies: Record<string, string>; bin: Record<string, string>;
  };
  const packages: Record<string, unknown> = {
    "": { name: "consumer", dependencies: { pidfd: tarball } },
    "node_modules/pidfd": { version: manifest.version, resolved: tarball, integrity, dependencies: manifest.dependencies, bin: manifest.bin },
  };
  const runtime = new Set(Object.keys(manifest.dependencies));
  for (const [key, entry] of Object.entries(ours.packages)) {
    const name = key.replace(/^node_modules\//, "");
    const optionalOfRuntime = entry.optional === true && name.startsWith("@koromix/");
    if (!runtime.has(name) && !optionalOfRuntime) continue;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...kept } = entry;
    packages[key] = kept;
  }
  fs.writeFileSync(path.join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { pidfd: tarball } }));
  fs.writeFileSync(path.join(dir, "package-lock.json"),
    JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }, null, 2));
}

describe("the packed package, installed into a fresh project", function () {
  this.timeout(120_000);
  let project: string;

  before(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-consumer-"));
    // --ignore-scripts: `prepare` would rebuild dist/ under the running tests.
    const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], { cwd: ROOT });
    const [{ filename, integrity }] = JSON.parse(stdout) as [{ filename: string; integrity: string }];
    writeConsumer(project, `file:${filename}`, integrity);
    await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: project });
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it("installs koffi and nothing else: no compiler, no asc or wasm-opt in node_modules/.bin", () => {
    const modules = fs.readdirSync(path.join(project, "node_modules")).filter((name) => !name.startsWith("."));
    const packages = modules.flatMap((name) => name.startsWith("@")
      ? fs.readdirSync(path.join(project, "node_modules", name)).map((sub) => `${name}/${sub}`) : [name]);
    assert.deepEqual(packages.filter((name) => !name.startsWith("@koromix/")).sort(), ["koffi", "pidfd"]);
    assert.deepEqual(fs.readdirSync(path.join(project, "node_modules", ".bin")), ["pidfd"]);
  });

  it("is under 6 MB installed, koffi included", () => {
    const bytes = sizeOf(path.join(project, "node_modules"));
    console.log(`      installed size: ${(bytes / 1e6).toFixed(2)} MB`);
    assert.ok(bytes < 6e6, `${bytes} bytes`);
  });

  it("the library works from there: import, open, getPid, a spawned child's exit status", async () => {
    const script = `import { PidFd, spawn } from "pidfd";
      const pf = PidFd.self();
      const status = await spawn("sh", ["-c", "exit 3"], { stdio: "ignore" }).exited;
      console.log(JSON.stringify({ pid: pf.getPid(), self: process.pid, code: status.code }));
      pf.close();`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const result = JSON.parse(stdout) as { pid: number; self: number; code: number };
    assert.equal(result.pid, result.self);
    assert.equal(result.code, 3);
  });

  it("the CLI works from there: pidfd info self --json", async () => {
    const { stdout } = await run(path.join(project, "node_modules", ".bin", "pidfd"), ["info", "--json", "self"], { cwd: project });
    const info = JSON.parse(stdout) as { pid: number };
    assert.ok(Number.isInteger(info.pid) && info.pid > 0);
  });

  it('loader "as-bind" without the optional peer dependency: a clear error naming the package', async () => {
    const script = `import { loadCore, koffiSyscalls } from "pidfd/embed";
      try { loadCore(koffiSyscalls(), { loader: "as-bind" }); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const error = JSON.parse(stdout) as { code: string; message: string };
    assert.equal(error.code, "ERR_PIDFD_AS_BIND_MISSING");
    assert.match(error.message, /npm install as-bind@0\.8\.2/);
  });
});
