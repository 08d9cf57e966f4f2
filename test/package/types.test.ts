// The published declarations as a strict TypeScript consumer compiles them: module nodenext,
// lib es2023 without DOM, skipLibCheck false, @types/node installed (the declarations reference
// it). test/package/fixtures/typescript imports every entry point and checks, with
// directives) that the types reject what the run time rejects.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { installConsumer, ROOT, run } from "./consumer.js";

const FIXTURE = path.join(ROOT, "test", "package", "fixtures", "typescript");
const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");

describe("the packed package's types, compiled by a strict consumer without DOM", function () {
  this.timeout(120_000);
  let project: string;

  before(async () => {
    project = await installConsumer(["@types/node"]);
    for (const file of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, file), path.join(project, file));
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it("compile with tsc: no error in the shipped .d.ts (WebAssembly, NodeJS, Disposable) nor in the fixture", async () => {
    // tsc prints its diagnostics on stdout and exits 2.
    const { stdout } = await run(TSC, ["-p", "."], { cwd: project }).catch((error: { stdout: string }) => assert.fail(error.stdout));
    assert.equal(stdout, "");
  });
});
