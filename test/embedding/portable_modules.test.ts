// "pidfd/portable" is runtime-neutral: the modules behind it (compiled, with their declarations)
// import only each other, nothing of Node (no "node:" module, no koffi, no Node types).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HOST = fileURLToPath(new URL("../../host/", import.meta.url));

/** Every module reachable from `entry` by relative imports, and the specifiers that are not relative. */
function graph(entry: string): { modules: Set<string>; outside: string[] } {
  const modules = new Set<string>();
  const outside: string[] = [];
  const visit = (file: string): void => {
    if (modules.has(file)) return;
    modules.add(file);
    for (const variant of [file, file.replace(/\.js$/, ".d.ts")]) {
      const text = fs.readFileSync(variant, "utf8");
      for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|^\s*import\s*|\bimport\s*\(\s*)["']([^"']+)["']/gm)) {
        if (specifier!.startsWith(".")) visit(path.resolve(path.dirname(file), specifier!));
        else outside.push(`${path.relative(HOST, variant)}: ${specifier}`);
      }
      for (const [reference] of text.matchAll(/^\/\/\/ <reference types=.*$/gm)) outside.push(`${path.relative(HOST, variant)}: ${reference}`);
    }
  };
  visit(path.join(HOST, "portable.js"));
  return { modules, outside };
}

describe('"pidfd/portable" (dist/host/portable.js)', () => {
  it("reaches no module outside the package's neutral part: no node:, no koffi, no Node types", () => {
    const { modules, outside } = graph(path.join(HOST, "portable.js"));
    assert.deepEqual(outside, []);
    const names = [...modules].map((file) => path.relative(HOST, file));
    for (const shared of ["instance.js", "imports.js", "info.js", "exit_status.js", "errors.js", "signals.js", "sys/trace.js"]) {
      assert.ok(names.includes(shared), shared);
    }
    for (const nodeOnly of ["core.js", "runtime.js", "pidfd.js", "sys/koffi.js"]) assert.ok(!names.includes(nodeOnly), nodeOnly);
  });

  it("is an export of package.json, with its declarations", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(HOST, "../../package.json"), "utf8")) as { exports: Record<string, unknown> };
    assert.deepEqual(pkg.exports["./portable"], { types: "./dist/host/portable.d.ts", default: "./dist/host/portable.js" });
  });
});
