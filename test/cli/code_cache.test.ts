// The CLI bundle's V8 code cache (Node 20, which has no compile cache): the build writes it, V8
// takes it, and it is used only when whole and made from the very bytes of the bundle. V8 alone
// checks a cache's source by its length only (a same-length edit would run the replaced code) and
// aborts the process on damaged data. Each load runs in a new process: V8 keeps compiled scripts
// in memory, and would answer from there.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { tempDirPerTest } from "../util.js";

const CODE_CACHE = new URL("../../host/cli/code_cache.cjs", import.meta.url).pathname;
const { codeCacheOf, codeCachePath, writeCodeCache } = createRequire(import.meta.url)(CODE_CACHE) as typeof import("../../host/cli/code_cache.cjs");
const BUNDLE = new URL("../../host/cli_bundle.cjs", import.meta.url).pathname;

/** Runs `script` (CommonJS, with `codeCache` the module under test) in a new Node process: its stdout, parsed. */
async function inNewProcess(script: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", `const codeCache = require(${JSON.stringify(CODE_CACHE)});\n${script}`]);
  return JSON.parse(stdout);
}

/** The exports of `bundle` loaded through requireWithCodeCache, in a new process. */
function requiredInNewProcess(bundle: string): Promise<unknown> {
  return inNewProcess(`console.log(JSON.stringify(codeCache.requireWithCodeCache(${JSON.stringify(bundle)})));`);
}

/** What `bundle` exports when compiled with its cache file by V8 alone, and whether V8 rejected the data, in a new process. */
function v8AloneInNewProcess(bundle: string): Promise<unknown> {
  return inNewProcess(`
    const fs = require("node:fs"), vm = require("node:vm"), { wrap } = require("node:module");
    const bundle = ${JSON.stringify(bundle)};
    const script = new vm.Script(wrap(fs.readFileSync(bundle, "utf8")), { filename: bundle, cachedData: fs.readFileSync(codeCache.codeCachePath(bundle)).subarray(8) });
    const module = { exports: {} };
    script.runInThisContext()(module.exports, require, module, bundle, "");
    console.log(JSON.stringify({ rejected: script.cachedDataRejected, exports: module.exports }));`);
}

describe("pidfd (cli): the bundle's code cache", () => {
  const temp = tempDirPerTest("pidfd-code-cache-");

  it("the build wrote the bundle's cache, which the launcher and V8 take", async () => {
    assert.ok(codeCacheOf(BUNDLE, fs.readFileSync(BUNDLE))!.length > 1000);
    assert.equal(((await v8AloneInNewProcess(BUNDLE)) as { rejected: boolean }).rejected, false);
  });

  it("a bundle edited in place to the same length runs its new code", async () => {
    const bundle = path.join(temp.dir, "bundle.cjs");
    fs.writeFileSync(bundle, "module.exports = { answer: 1 };\n");
    writeCodeCache(bundle);
    assert.deepEqual(await requiredInNewProcess(bundle), { answer: 1 });
    fs.writeFileSync(bundle, "module.exports = { answer: 2 };\n");
    // V8 alone takes the stale cache (same length) and runs the old code:
    assert.deepEqual(await v8AloneInNewProcess(bundle), { rejected: false, exports: { answer: 1 } });
    assert.equal(codeCacheOf(bundle, fs.readFileSync(bundle)), undefined);
    assert.deepEqual(await requiredInNewProcess(bundle), { answer: 2 });
  });

  it("a missing, foreign, cut-short or damaged cache is no error: the bundle is compiled from its source", async () => {
    const bundle = path.join(temp.dir, "bundle.cjs");
    fs.writeFileSync(bundle, "module.exports = { file: __filename, dir: __dirname, fs: typeof require('node:fs').readFileSync };\n");
    const expected = { file: bundle, dir: temp.dir, fs: "function" };
    const cache = codeCachePath(bundle);
    assert.deepEqual(await requiredInNewProcess(bundle), expected);
    fs.writeFileSync(cache, "not V8's");
    assert.deepEqual(await requiredInNewProcess(bundle), expected);
    writeCodeCache(bundle);
    fs.truncateSync(cache, fs.statSync(cache).size - 100);
    assert.deepEqual(await requiredInNewProcess(bundle), expected);
    writeCodeCache(bundle);
    const damaged = fs.readFileSync(cache);
    damaged.fill(0xff, 8 + 40); // past V8's own header: V8 alone would abort the process
    fs.writeFileSync(cache, damaged);
    assert.deepEqual(await requiredInNewProcess(bundle), expected);
  });
});
