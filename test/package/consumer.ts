// A fresh project that depends on the packed package, installed offline from the local cache: what
// a user gets from `npm install pidfd`.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const run = promisify(execFile);

interface LockEntry extends Record<string, unknown> { dependencies?: Record<string, string> }

/** One file of `npm pack --json`'s list. */
export interface PackedFile { path: string; size: number }

/** What `npm pack --dry-run --json` says the tarball holds, without writing it. */
export async function packedFiles(): Promise<PackedFile[]> {
  const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
  const [{ files }] = JSON.parse(stdout) as [{ files: PackedFile[] }];
  return files;
}

/**
 * A consumer project that depends on the tarball, with a lockfile pinning the runtime
 * dependencies (and `devPackages`, with what they depend on) as our own lockfile does:
 * `npm ci --offline` then takes every package from the local cache by its integrity, as
 * `npm ci` of this repository left them there.
 */
function writeConsumer(dir: string, tarball: string, integrity: string, devPackages: readonly string[]): void {
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    name: string; version: string; dependencies: Record<string, string>; bin: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const devDependencies = Object.fromEntries(devPackages.map((name) => [name, manifest.devDependencies[name]]));
  const packages: Record<string, unknown> = {
    "": { name: "consumer", dependencies: { pidfd: tarball }, devDependencies },
    "node_modules/pidfd": { version: manifest.version, resolved: tarball, integrity, dependencies: manifest.dependencies, bin: manifest.bin },
  };
  const runtime = new Set(Object.keys(manifest.dependencies));
  const dev = new Set(devPackages);
  for (const name of devPackages) {
    for (const dependency of Object.keys(ours.packages[`node_modules/${name}`]?.dependencies ?? {})) dev.add(dependency);
  }
  for (const [key, entry] of Object.entries(ours.packages)) {
    const name = key.replace(/^node_modules\//, "");
    const optionalOfRuntime = entry.optional === true && name.startsWith("@koromix/");
    const ofRuntime = runtime.has(name) || optionalOfRuntime;
    if (!ofRuntime && !dev.has(name)) continue;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...kept } = entry;
    packages[key] = ofRuntime ? kept : { ...kept, dev: true };
  }
  fs.writeFileSync(path.join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { pidfd: tarball }, devDependencies }));
  fs.writeFileSync(path.join(dir, "package-lock.json"),
    JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }, null, 2));
}

/**
 * Packs this repository (without running `prepare`, which would rebuild dist/ under the running
 * tests) into a new temporary project and installs it there offline, with `devPackages` (e.g.
 * "@types/node") from our own devDependencies. Returns the project's directory: remove it after.
 */
export async function installConsumer(devPackages: readonly string[] = []): Promise<string> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-consumer-"));
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], { cwd: ROOT });
  const [{ filename, integrity }] = JSON.parse(stdout) as [{ filename: string; integrity: string }];
  writeConsumer(project, `file:${filename}`, integrity, devPackages);
  await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: project });
  return project;
}
