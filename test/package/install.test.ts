// The published package as a user gets it: `npm pack`, installed offline from the local cache
// into a fresh project. Runtime dependencies are koffi only, the install is small, and the
// library and the CLI work from there.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { installConsumer, run } from "./consumer.js";

/** Bytes of every file under `dir`. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

describe("the packed package, installed into a fresh project", function () {
  this.timeout(120_000);
  let project: string;

  before(async () => {
    project = await installConsumer();
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
