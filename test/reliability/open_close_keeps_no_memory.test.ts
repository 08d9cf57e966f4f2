// PidFds opened and closed within one synchronous job leave nothing behind for the collector: a
// closed PidFd never reaches the FinalizationRegistry, whose cells would otherwise hold memory
// until a finalization task runs (about 200 bytes per PidFd). Run in a child process with
// --expose-gc, so that the collections are the test's own.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const INDEX = new URL("../../host/index.js", import.meta.url).href;
const CYCLES = 200_000;

describe("open + close in one job", () => {
  it(`${CYCLES.toLocaleString("en")} PidFd.self() + close() without yielding: the heap stays where it was`, async () => {
    const script = `import { PidFd } from ${JSON.stringify(INDEX)};
      const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };
      for (let i = 0; i < 1000; i++) PidFd.self().close(); // the core, koffi, the JIT's code
      const before = heap();
      for (let i = 0; i < ${CYCLES}; i++) PidFd.self().close();
      console.log(JSON.stringify({ before, after: heap() }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
    const { before, after } = JSON.parse(stdout) as { before: number; after: number };
    // A registration per PidFd would hold ~40 MB here; the bound leaves room for the JIT's own growth.
    assert.ok(after - before < 8 * 2 ** 20, `the heap grew by ${((after - before) / 2 ** 20).toFixed(1)} MiB`);
  });
});
