// What `npm pack` puts in the tarball: the license, the examples, the built host with source maps
// that carry their sources, the core; no tests, no benchmarks, no AssemblyScript sources.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { packedFiles, ROOT, type PackedFile } from "./consumer.js";

describe("the tarball's content (npm pack --dry-run)", function () {
  this.timeout(60_000);
  let files: PackedFile[];
  let paths: Set<string>;

  before(async () => {
    files = await packedFiles();
    paths = new Set(files.map((file) => file.path));
  });

  it("has LICENSE (MIT, as package.json says), README.md and package.json", () => {
    for (const file of ["LICENSE", "README.md", "package.json"]) assert.ok(paths.has(file), file);
    assert.match(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8"), /^MIT License\n\nCopyright \(c\) \d{4} pidfd contributors\n/);
  });

  it("has every example written in JavaScript", () => {
    const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((name) => /\.[cm]?js$/.test(name));
    assert.ok(examples.length >= 3, examples.join(", "));
    for (const example of examples) assert.ok(paths.has(`examples/${example}`), example);
  });

  it("has the three entry points with their declarations, the CLI and the core", () => {
    for (const entry of ["index", "embed", "testing"]) {
      assert.ok(paths.has(`dist/host/${entry}.js`), entry);
      assert.ok(paths.has(`dist/host/${entry}.d.ts`), entry);
    }
    assert.ok(paths.has("dist/host/cli/main.cjs"));
    assert.ok(paths.has("dist/host/cli_bundle.cjs"));
    assert.ok(paths.has("build/pidfd.wasm"));
  });

  it("has a source map for every module, each carrying the TypeScript source it maps to (not the CLI's bundle)", () => {
    const modules = [...paths].filter((file) => /\.c?js$/.test(file) && file.startsWith("dist/") && file !== "dist/host/cli_bundle.cjs");
    for (const module of modules) {
      assert.ok(paths.has(`${module}.map`), `${module}.map`);
      const map = JSON.parse(fs.readFileSync(path.join(ROOT, `${module}.map`), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(map.sources.length, 1, module);
      const source = path.join(path.dirname(path.join(ROOT, module)), map.sources[0] ?? "");
      assert.equal(map.sourcesContent?.[0], fs.readFileSync(source, "utf8"), module);
    }
  });

  it("has the CLI as its launcher and one bundle, not the modules the bundle inlines", () => {
    assert.deepEqual([...paths].filter((file) => file.startsWith("dist/host/cli")).sort(),
      ["dist/host/cli/main.cjs", "dist/host/cli/main.cjs.map", "dist/host/cli_bundle.cjs"]);
  });

  it("has no tests, benchmarks, AssemblyScript sources or build tooling", () => {
    const unwanted = [...paths].filter((file) => /^(dist\/)?(test|bench|assembly|types)\/|^build\/pidfd\.wat$|^\.|tsconfig|asconfig/.test(file));
    assert.deepEqual(unwanted, []);
  });
});
