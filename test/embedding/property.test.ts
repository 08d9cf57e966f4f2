// Property tests (fast-check) of the boundary: random pointers, lengths, fds and flags at every
// import of createHostImports and at every export of the core. Nothing may throw, results are
// >= 0 or -errno, and nothing is written outside what the call may write.
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadCore, type Core } from "../../host/core.js";
import { createHostImports, HOST_IMPORT_NAMES, type HostImports } from "../../host/imports.js";
import { KERNEL_LEVELS, SimulatedKernel } from "../../host/sys/simulated.js";
import type { Syscalls } from "../../host/sys/syscalls.js";

const MAX_ERRNO = 4095;
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

function isResult(rc: unknown): boolean {
  return Number.isInteger(rc) && (rc as number) >= -MAX_ERRNO && (rc as number) <= 0x7fffffff;
}

/** A deterministic byte source, reseeded per run so failures shrink and replay. */
class Noise {
  #state = 1;
  seed(seed: number): void {
    this.#state = (seed >>> 0) || 1;
  }
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (this.#state = x >>> 0);
  }
}

/**
 * A hostile backend: writes noise over every byte of every view it is given (so a view larger
 * than allowed shows up as a write outside the range) and answers with a noisy in-contract result.
 */
function chaosSyscalls(noise: Noise, throwSometimes = false): Syscalls {
  const answer = (...views: (Uint8Array | null)[]): number => {
    for (const view of views) if (view) for (let i = 0; i < view.length; i++) view[i] = noise.next() & 0xff;
    const pick = noise.next() % 8;
    if (throwSometimes && pick === 7) throw new Error("backend failure");
    if (pick < 3) return -(1 + (noise.next() % 133));
    if (pick < 5) return noise.next() % 64;
    if (pick === 5) return 0x7fffffff;
    return 0;
  };
  return {
    pidfdOpen: () => answer(),
    pidfdSendSignal: () => answer(),
    pidfdGetfd: () => answer(),
    waitid: (_t, _id, info) => answer(info),
    ioctl: (_fd, _req, arg) => answer(arg),
    fstat: (_fd, stat) => answer(stat),
    fstatfs: (_fd, statfs) => answer(statfs),
    nameToHandleAt: (_fd, path, handle, mountId) => answer(path, handle, mountId),
    setns: () => answer(),
    close: () => answer(),
    readFdinfo: (_fd, buf) => answer(buf),
  };
}

/** The (ptr, len) ranges an import call may write, from its arguments. */
const WRITABLE: Partial<Record<keyof HostImports, (args: number[]) => [number, number][]>> = {
  waitid: (a) => [[a[2]!, a[3]!]],
  ioctl: (a) => [[a[2]!, a[3]!]],
  fstat: (a) => [[a[1]!, a[2]!]],
  fstatfs: (a) => [[a[1]!, a[2]!]],
  name_to_handle_at: (a) => [[a[1]!, a[2]!], [a[3]!, a[4]!], [a[5]!, 4]],
  read_fdinfo: (a) => [[a[1]!, a[2]!]],
};

/** Asserts that `after` equals `before` outside `ranges` (u32 ptr/len, clipped to the memory). */
function unchangedOutside(before: Uint8Array, after: Uint8Array, ranges: [number, number][], what: string): void {
  const spans = ranges
    .map(([ptr, len]) => [ptr >>> 0, Math.min(before.length, (ptr >>> 0) + (len >>> 0))] as const)
    .filter(([start]) => start < before.length)
    .sort((a, b) => a[0] - b[0]);
  let from = 0;
  for (const [start, end] of [...spans, [before.length, before.length] as const]) {
    if (start > from) unchanged(before, after, from, start, `${what} wrote outside its ranges`);
    from = Math.max(from, end);
  }
}

/** Asserts that bytes [from, to) are equal (compared natively: the memories are large). */
function unchanged(before: Uint8Array, after: Uint8Array, from: number, to: number, message: string): void {
  if (Buffer.compare(before.subarray(from, to), after.subarray(from, to)) !== 0) {
    const at = before.subarray(from, to).findIndex((byte, i) => byte !== after[from + i]);
    assert.fail(`${message}: byte ${from + at}`);
  }
}

describe("property: the import layer (host/imports.ts)", () => {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const size = memory.buffer.byteLength;
  const noise = new Noise();
  const imports = createHostImports(() => memory, chaosSyscalls(noise, true)) as unknown as Record<string, (...a: number[]) => number>;
  // Pointers and lengths near the edges of the memory and of the integer range, and anywhere.
  const edge = fc.constantFrom(0, 1, 7, 8, 63, 64, 128, 144, size - 200, size - 144, size - 1, size, size + 1, -1, -8, 0x7fffffff, -0x80000000);
  const value = fc.oneof(edge, fc.integer({ min: 0, max: size + 64 }), fc.integer({ min: 0, max: 300 }), i32);

  for (const name of HOST_IMPORT_NAMES) {
    it(`${name}: never throws, answers >= 0 or -errno, writes only inside its ranges`, () => {
      const arity = imports[name]!.length;
      fc.assert(fc.property(fc.array(value, { minLength: arity, maxLength: arity }), fc.integer(), (args, seed) => {
        noise.seed(seed);
        new Uint8Array(memory.buffer).fill(0x5a);
        if (name === "name_to_handle_at") {
          // Sometimes a plausible handle header, so the inner handle_bytes check is exercised.
          const at = (args[3]! >>> 0) % (size - 8);
          new DataView(memory.buffer).setUint32(at, noise.next() % 200, true);
        }
        const before = new Uint8Array(memory.buffer).slice();
        const rc = imports[name]!(...args);
        assert.ok(isResult(rc), `${name}(${args}) = ${rc}`);
        unchangedOutside(before, new Uint8Array(memory.buffer), WRITABLE[name]?.(args) ?? [], `${name}(${args})`);
      }), { numRuns: 300 });
    });
  }
});

/** The exports that may write the result area (docs/abi.md, "Result area"). */
const RESULT_WRITERS = new Set(["get_info", "get_id", "decode_pidfd_info", "parse_fdinfo", "parse_fdinfo_common"]);
/** The exports whose result is not an errno result, and their ranges. */
const PLAIN_RESULTS: Record<string, (rc: number) => boolean> = {
  support: (rc) => rc >= -1 && rc <= 2,
  decode_status: (rc) => rc >= 0 && rc <= 0xfff,
  ioc: Number.isInteger, namespace_request: Number.isInteger, get_info_request: Number.isInteger,
  namespace_clone_flag: Number.isInteger, result_ptr: Number.isInteger, scratch_ptr: Number.isInteger,
};
const SKIPPED = new Set(["__new", "__pin", "__unpin", "__collect"]); // the as-bind runtime (docs/abi.md)

describe("property: the core's exports", () => {
  const noise = new Noise();
  const cores: { name: string; core: Core; heapTop: number; sim?: SimulatedKernel }[] = [];
  before(() => {
    for (const level of KERNEL_LEVELS) {
      const sim = new SimulatedKernel({ level });
      const core = loadCore(sim);
      for (let i = 0; i < 3; i++) sim.spawn();
      for (let i = 0; i < 3; i++) core.exports.open(1000 + i, i & 3);
      cores.push({ name: `simulated ${level}`, core, heapTop: 0, sim });
    }
    cores.push({ name: "chaos", core: loadCore(chaosSyscalls(noise)), heapTop: 0 });
    for (const entry of cores) {
      const exports = entry.core.exports as unknown as Record<string, (...a: number[]) => number>;
      entry.heapTop = exports.__new!(0, 0) >>> 0; // everything above is the heap, which no export touches
    }
  });

  it("no export throws, grows memory, writes the heap or (unless documented) the result area; results follow docs/abi.md", function () {
    this.timeout(60000);
    const fd = fc.oneof(fc.integer({ min: -2, max: 12 }), i32);
    const arg = fc.oneof(fc.integer({ min: -2, max: 130 }), fc.constantFrom(0x7fffffff, -0x80000000, 0xffff, 0x7f, 0x80), i32);
    const coreIndex = fc.integer({ min: 0, max: KERNEL_LEVELS.length });
    fc.assert(fc.property(coreIndex, fc.integer(), fc.array(fc.tuple(fc.nat(), fd, arg, arg, arg, arg), { minLength: 1, maxLength: 8 }), (which, seed, calls) => {
      const entry = cores[which]!;
      noise.seed(seed);
      const exports = entry.core.exports as unknown as Record<string, (...a: number[]) => number>;
      const names = Object.keys(exports).filter((n) => typeof exports[n] === "function" && !SKIPPED.has(n)).sort();
      const memory = entry.core.exports.memory;
      const pages = memory.buffer.byteLength;
      const resultPtr = entry.core.exports.result_ptr() >>> 0;
      for (const [pick, first, ...rest] of calls) {
        const name = names[pick % names.length]!;
        const fn = exports[name]!;
        const args = [first, ...rest].slice(0, fn.length);
        const before = new Uint8Array(memory.buffer).slice();
        const rc = fn(...args);
        const after = new Uint8Array(memory.buffer);
        const what = `${entry.name}: ${name}(${args})`;
        assert.equal(after.length, pages, `${what} grew the memory`);
        assert.ok((PLAIN_RESULTS[name] ?? isResult)(rc), `${what} = ${rc}`);
        unchanged(before, after, entry.heapTop, after.length, `${what} wrote the heap`);
        if (!RESULT_WRITERS.has(name)) unchanged(before, after, resultPtr, resultPtr + 96, `${what} wrote the result area`);
        if (name === "init") entry.core.exports.init(1); // keep speaking x86_64 to the simulated kernel
      }
      // Any fds the random calls opened in the simulated kernel are closed again.
      if (entry.sim) for (const open of entry.sim.openFds()) if (open > 5) entry.sim.close(open);
    }), { numRuns: 400 });
  });
});
