// A long mixed run leaves nothing behind: after 100,000 synchronous operations, 5,000 spawns and
// 1,000 concurrent waitAsync with random aborts, timeouts and closes (soak_script.ts, in a child
// process so that a crash fails this test and the runner's own fds stay out of it), the fds,
// child processes, zombies and Wasm memory are what they were after a warm-up, and RSS and the
// JS heap are within bounds. SOAK_SCALE=n (>= 1) multiplies every count.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const SCRIPT = fileURLToPath(new URL("./soak_script.js", import.meta.url));
const SCALE = Number(process.env.SOAK_SCALE ?? 1);

/**
 * How much RSS may grow: 64 MB. Under this allocation rate V8 grows its young generation (heap
 * total 10 -> ~40 MB while the heap in use stays ~5 MB) and keeps the pages, and the first
 * thousands of spawns grow libc's and libuv's pools: RSS rises by 20-45 MB, then levels off (one
 * process spawning 40,000 children stays at 85-93 MB from the 20,000th on). 64 MB still catches
 * a leak of 13 KB per spawn or 640 bytes per synchronous operation.
 */
const RSS_GROWTH_MB = 64;
/** How much the JS heap in use may grow after a full GC: 4 MB (compiled code and feedback: ~1 MB). */
const HEAP_GROWTH_KB = 4096;

interface Resources {
  fds: string[];
  children: number[];
  zombies: number[];
  wasmBytes: number;
  rssMB: number;
  heapUsedKB: number;
  heapTotalMB: number;
}

interface Report {
  scale: number;
  seed: number;
  ms: Record<"synchronous" | "spawns" | "waits", number>;
  tallies: Record<"synchronous" | "spawns" | "waits", Record<string, number>>;
  before: Resources;
  after: Resources;
}

const total = (tally: Record<string, number>): number => Object.values(tally).reduce((a, b) => a + b, 0);

describe("soak", () => {
  it(`${100_000 * SCALE} operations, ${5_000 * SCALE} spawns, ${1_000 * SCALE} concurrent waits: fds, children, zombies, Wasm memory flat; RSS and heap bounded`, async function () {
    this.timeout(120000 * SCALE);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--expose-gc", SCRIPT],
      { encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, SOAK_SCALE: String(SCALE) } });
    const { ms, tallies, before, after, seed } = JSON.parse(stdout) as Report;
    const mb = (kb: number): string => (kb / 1024).toFixed(1);
    console.log([
      `soak ×${SCALE} (seed ${seed}): ${total(tallies.synchronous)} synchronous operations ${ms.synchronous} ms, ` +
        `${total(tallies.spawns)} spawns ${ms.spawns} ms, ${total(tallies.waits)} waits ${ms.waits} ms`,
      `fds ${before.fds.length} -> ${after.fds.length}, children ${before.children.length} -> ${after.children.length}, ` +
        `zombies ${before.zombies.length} -> ${after.zombies.length}, Wasm memory ${before.wasmBytes} -> ${after.wasmBytes} bytes`,
      `RSS ${before.rssMB} -> ${after.rssMB} MB, heap used ${mb(before.heapUsedKB)} -> ${mb(after.heapUsedKB)} MB ` +
        `(heap total ${before.heapTotalMB} -> ${after.heapTotalMB} MB)`,
      `waits: ${Object.entries(tallies.waits).sort().map(([k, n]) => `${k} ${n}`).join(", ")}`,
    ].map((line) => `      ${line}`).join("\n"));

    assert.equal(total(tallies.synchronous), 100_000 * SCALE);
    assert.equal(total(tallies.spawns), 5_000 * SCALE);
    assert.equal(total(tallies.waits), 1_000 * SCALE);
    // Aborts and closes scheduled before the first release, and timeouts of 0-1 ms, cannot see an exit.
    for (const outcome of ["plain: status", "abort: AbortError", "close: EBADF", "timeout: ETIMEDOUT"]) {
      assert.ok(tallies.waits[outcome]! > 0, `some waits ended in ${outcome}`);
    }
    assert.deepEqual(before.children, [], "no child before");
    assert.deepEqual(after.children, [], "every child killed and reaped");
    assert.deepEqual(after.zombies, []);
    assert.deepEqual(after.fds, before.fds, "the same fds open");
    assert.equal(after.wasmBytes, before.wasmBytes, "the cores' memories did not grow");
    assert.ok(after.rssMB - before.rssMB <= RSS_GROWTH_MB, `RSS grew by ${after.rssMB - before.rssMB} MB`);
    assert.ok(after.heapUsedKB - before.heapUsedKB <= HEAP_GROWTH_KB, `the heap in use grew by ${after.heapUsedKB - before.heapUsedKB} KB`);
    assert.equal(stderr.match(/PIDFD_CLOSED_ON_GC/g)?.length, 1, `one warning for the dropped PidFds:\n${stderr}`);
  });
});
