// The fast-check properties of the boundary and of the public decoders, shared by the default
// suite (property.test.ts, 10,000 cases) and the fuzz run (test/fuzz/run.ts, FUZZ_RUNS cases).
//  - The import layer: random pointers, lengths, fds and flags at every import of
//    createHostImports. Nothing may throw, results are >= 0 or -errno, and nothing is written
//    outside what the call may write.
//  - The core's exports, on simulated kernels of every level and a chaotic backend: nothing
//    throws, grows the memory or writes where docs/abi.md says it does not.
//  - The decoders of host/index.ts, on any input: each throws only the TypeError or RangeError
//    its documentation names, and otherwise returns what the input says (an independent model
//    of each format decides what that is).
import assert from "node:assert/strict";
import os from "node:os";
import fc from "fast-check";
import { AT_HANDLE_MNT_ID_UNIQUE } from "../../host/constants.js";
import { loadCore, type Core } from "../../host/core.js";
import { createHostImports, HOST_IMPORT_NAMES, type HostImports } from "../../host/imports.js";
import { ExitStatus, type PidFdInfo } from "../../host/index.js";
import { decodePidfdInfo, decodeSiginfo, decodeWaitStatus, parseFdinfo, parseFdinfoCommon, waitStatusFromChildCode } from "../../host/embed.js";
import { KERNEL_LEVELS, SimulatedKernel } from "../../host/sys/simulated.js";
import type { Syscalls } from "../../host/sys/syscalls.js";

/** A property of the fuzz run, and its share of a run's cases. */
export interface FuzzProperty {
  /** The part of the library it checks (a describe block). */
  readonly group: string;
  /** What it checks (a test's name). */
  readonly name: string;
  /** Its share of a run's cases, relative to the other properties' weights. */
  readonly weight: number;
  /** Makes the property, with the state it needs (memories, cores). */
  make(): fc.IProperty<unknown>;
}

/**
 * Each property with its number of cases when a run has `total` cases, shared by weight
 * (largest remainders; at least 1 each).
 */
export function withRuns(properties: readonly FuzzProperty[], total: number): [FuzzProperty, number][] {
  const weights = properties.reduce((sum, p) => sum + p.weight, 0);
  const exact = properties.map((p) => (total * p.weight) / weights);
  const runs = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let i = 0, left = total - runs.reduce((a, b) => a + b, 0); i < left; i++) runs[byRemainder[i]![1]]!++;
  return properties.map((p, i) => [p, Math.max(1, runs[i]!)]);
}

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
    openByHandleAt: (_fd, handle) => answer(handle),
    getsockopt: (_fd, _level, _name, optval) => answer(optval),
    setns: () => answer(),
    close: () => answer(),
    readFdinfo: (_fd, buf) => answer(buf),
    processMrelease: () => answer(),
  };
}

/** The (ptr, len) ranges an import call may write, from its arguments. */
const WRITABLE: Partial<Record<keyof HostImports, (args: number[]) => [number, number][]>> = {
  waitid: (a) => [[a[2]!, a[3]!]],
  ioctl: (a) => [[a[2]!, a[3]!]],
  fstat: (a) => [[a[1]!, a[2]!]],
  fstatfs: (a) => [[a[1]!, a[2]!]],
  name_to_handle_at: (a) => [[a[1]!, a[2]!], [a[3]!, a[4]!], [a[5]!, (a[6]! & AT_HANDLE_MNT_ID_UNIQUE) !== 0 ? 8 : 4]],
  getsockopt: (a) => [[a[3]!, a[4]!]],
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

/** One property per import of createHostImports, on a chaotic backend that sometimes throws. */
function importProperty(name: (typeof HOST_IMPORT_NAMES)[number]): FuzzProperty {
  return {
    group: "the import layer (host/imports.ts)",
    name: `${name}: never throws, answers >= 0 or -errno, writes only inside its ranges`,
    weight: 3,
    make() {
      const memory = new WebAssembly.Memory({ initial: 2 });
      const size = memory.buffer.byteLength;
      const noise = new Noise();
      const imports = createHostImports(() => memory, chaosSyscalls(noise, true)) as unknown as Record<string, (...a: number[]) => number>;
      // Pointers and lengths near the edges of the memory and of the integer range, and anywhere.
      const edge = fc.constantFrom(0, 1, 7, 8, 63, 64, 128, 144, size - 200, size - 144, size - 1, size, size + 1, -1, -8, 0x7fffffff, -0x80000000);
      const value = fc.oneof(edge, fc.integer({ min: 0, max: size + 64 }), fc.integer({ min: 0, max: 300 }), i32);
      const arity = imports[name]!.length;
      return fc.property(fc.array(value, { minLength: arity, maxLength: arity }), fc.integer(), (args, seed) => {
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
      });
    },
  };
}

/** The exports that may write the result area (docs/abi.md, "Result area"). */
const RESULT_WRITERS = new Set(["get_info", "get_id", "decode_pidfd_info", "parse_fdinfo", "parse_fdinfo_common", "peer_pid"]);
/** The exports whose result is not an errno result, and their ranges. */
const PLAIN_RESULTS: Record<string, (rc: number) => boolean> = {
  support: (rc) => rc >= -1 && rc <= 2,
  decode_status: (rc) => rc >= 0 && rc <= 0xfff,
  ioc: Number.isInteger, namespace_request: Number.isInteger, get_info_request: Number.isInteger,
  namespace_clone_flag: Number.isInteger, result_ptr: Number.isInteger, scratch_ptr: Number.isInteger,
};
const SKIPPED = new Set(["__new", "__pin", "__unpin", "__collect"]); // the as-bind runtime (docs/abi.md)

/** Random calls of random exports, on a simulated kernel of every level and on a chaotic backend. */
const coreExportsProperty: FuzzProperty = {
  group: "the core's exports",
  name: "no export throws, grows memory, writes the heap or (unless documented) the result area; results follow docs/abi.md",
  weight: 10,
  make() {
    const noise = new Noise();
    const cores: { name: string; core: Core; heapTop: number; sim?: SimulatedKernel }[] = [];
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
    const fd = fc.oneof(fc.integer({ min: -2, max: 12 }), i32);
    const arg = fc.oneof(fc.integer({ min: -2, max: 130 }), fc.constantFrom(0x7fffffff, -0x80000000, 0xffff, 0x7f, 0x80), i32);
    const coreIndex = fc.integer({ min: 0, max: KERNEL_LEVELS.length });
    return fc.property(coreIndex, fc.integer(), fc.array(fc.tuple(fc.nat(), fd, arg, arg, arg, arg), { minLength: 1, maxLength: 8 }), (which, seed, calls) => {
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
    });
  },
};

// ---- The public decoders --------------------------------------------------------------------

/** What a decoder did: returned `value`, or threw a TypeError / RangeError (anything else fails). */
type Outcome<T> = { value: T } | { threw: "TypeError" | "RangeError"; code: unknown; message: string };

function outcome<T>(call: () => T): Outcome<T> {
  try {
    return { value: call() };
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      return { threw: error instanceof TypeError ? "TypeError" : "RangeError", code: (error as { code?: unknown }).code, message: error.message };
    }
    throw error;
  }
}

/** Asserts that `got` threw `expected`, with Node's error code `code` when one is given. */
function assertThrew(got: Outcome<unknown>, expected: "TypeError" | "RangeError", what: string, code?: string): void {
  assert.ok("threw" in got, `${what}: returned ${"value" in got ? show(got.value) : ""}, expected a ${expected}`);
  assert.equal(got.threw, expected, `${what}: ${got.threw}: ${got.message}`);
  if (code !== undefined) assert.equal(got.code, code, `${what}: ${got.threw} ${show(got.code)}: ${got.message}`);
}

/** Node's code for an argument out of range (docs/api.md: every status no process can have). */
const OUT_OF_RANGE = "ERR_OUT_OF_RANGE";

function show(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

/** What a wait status means, field by field. */
interface StatusModel {
  kind: ExitStatus["kind"];
  code: number | null;
  signalNumber: number | null;
  coreDumped: boolean;
}

// The signal numbers of this machine's kernel, as docs/api.md gives them (ExitStatus.fromRaw,
// waitStatusFromChildCode): signals 1..64 (_NSIG), 1..127 on mips; SIGTRAP 5 everywhere.
const ARCH: string = process.arch;
const MIPS = ARCH === "mips" || ARCH === "mipsel" || ARCH === "mips64el";
const SIGNAL_MAX = MIPS ? 127 : 64;
const SIGCONT = MIPS ? 25 : ARCH === "sparc64" || ARCH === "alpha" ? 19 : 18;
const SIGTRAP_SYSGOOD = 5 | 0x80; // a ptrace syscall-stop with PTRACE_O_TRACESYSGOOD

const isSignal = (n: number): boolean => n >= 1 && n <= SIGNAL_MAX;
/** A kill's status holds the signal in bits 0-6, so 0x7f (mips's 127) would read as a stop: never one. */
const isKillSignal = (n: number): boolean => isSignal(n) && n !== 0x7f;
const isStopSignal = (n: number): boolean => isSignal(n) || n === SIGTRAP_SYSGOOD;

const exited = (code: number): StatusModel => ({ kind: "exited", code, signalNumber: null, coreDumped: false });
const signaled = (signalNumber: number, coreDumped: boolean): StatusModel => ({ kind: "signaled", code: null, signalNumber, coreDumped });
const stopped = (signalNumber: number): StatusModel => ({ kind: "stopped", code: null, signalNumber, coreDumped: false });
const CONTINUED: StatusModel = { kind: "continued", code: null, signalNumber: null, coreDumped: false };

/**
 * What a wait status in 0..0xffff means, as the kernel encodes one (kernel/exit.c, the
 * WIFEXITED family): exited `code << 8`; killed `signal`, `| 0x80` for a core dump; stopped
 * `signal << 8 | 0x7f`; continued 0xffff. Null for any other number: no process has it.
 */
function waitStatusModel(raw: number): StatusModel | null {
  const low = raw & 0x7f;
  if (raw === 0xffff) return CONTINUED;
  if ((raw & 0xff) === 0x7f) return isStopSignal(raw >> 8) ? stopped(raw >> 8) : null;
  if (low === 0) return raw & 0x80 ? null : exited(raw >> 8);
  return raw <= 0xff && isKillSignal(low) ? signaled(low, (raw & 0x80) !== 0) : null;
}

const SIGNAL_NUMBERS = os.constants.signals as Record<string, number>;

/** Asserts that `status` says exactly what `model` says, in every field and method. */
function assertStatus(status: unknown, raw: number, model: StatusModel, what: string): void {
  assert.ok(status instanceof ExitStatus, `${what}: not an ExitStatus: ${show(status)}`);
  const { kind, code, signalNumber, coreDumped } = model;
  assert.deepEqual({ raw: status.raw, kind: status.kind, code: status.code, signalNumber: status.signalNumber, coreDumped: status.coreDumped },
    { raw, kind, code, signalNumber, coreDumped }, what);
  const standard = signalNumber !== null && signalNumber >= 1 && signalNumber <= 31;
  if (standard) assert.equal(SIGNAL_NUMBERS[status.signal!], signalNumber, `${what}: signal ${status.signal}`);
  else assert.equal(status.signal, null, `${what}: a name for signal ${signalNumber}`);
  assert.equal(status.success, code === 0);
  assert.equal(status.shellCode, code ?? 128 + (signalNumber ?? 0));
  const name = status.signal ?? `signal ${signalNumber}`;
  const text = { exited: `exited with code ${code}`, signaled: `killed by ${name}${coreDumped ? " (core dumped)" : ""}`,
    stopped: `stopped by ${name}`, continued: "continued" }[kind];
  assert.equal(status.toString(), text, what);
  assert.deepEqual(status.toJSON(), { raw, kind, code, signal: status.signal, signalNumber, coreDumped }, what);
}

/** Any JavaScript value, with numbers near and inside 0..0xffff most of the time. */
const anyStatusInput = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
  { weight: 1, arbitrary: fc.constantFrom(0x7f, 0xff, 0x80, 0xffff, 0x10000, -1, 0.5, -0, NaN, Infinity, -Infinity, 2 ** 53) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.anything()) },
);

const fromRawProperty: FuzzProperty = {
  group: "the public decoders (host/index.ts)",
  name: "ExitStatus.fromRaw / decodeWaitStatus: any value gives the ExitStatus its kernel encoding means, or the documented TypeError / RangeError (ERR_OUT_OF_RANGE for no process's status)",
  weight: 6,
  make() {
    return fc.property(anyStatusInput, (raw) => {
      const what = `fromRaw(${show(raw)})`;
      const got = outcome(() => ExitStatus.fromRaw(raw as number));
      assert.deepEqual(outcome(() => decodeWaitStatus(raw as number).toJSON()), "value" in got ? { value: got.value.toJSON() } : got, `decodeWaitStatus is fromRaw: ${what}`);
      if (typeof raw !== "number") return assertThrew(got, "TypeError", what);
      if (!Number.isInteger(raw) || raw < 0 || raw > 0xffff) return assertThrew(got, "RangeError", what, OUT_OF_RANGE);
      const model = waitStatusModel(raw);
      if (!model) return assertThrew(got, "RangeError", `${what} (no process has it)`, OUT_OF_RANGE);
      assert.ok("value" in got, `${what}: ${"message" in got ? got.message : ""}`);
      assertStatus(got.value, raw, model, what);
    });
  },
};

// waitid's si_code values for a child (include/uapi/asm-generic/siginfo.h).
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;

/**
 * What a child state change (si_code, si_status) means, as waitid reports one (kernel/exit.c
 * wait_task_zombie, wait_task_stopped, wait_task_continued): CLD_EXITED with the exit code
 * 0..255; CLD_KILLED, CLD_DUMPED with the signal; CLD_STOPPED with the stop signal; CLD_TRAPPED
 * with the ptrace stop signal (or SIGTRAP | 0x80) in bits 0-7 and the ptrace event in bits 8-15;
 * CLD_CONTINUED with SIGCONT. "RangeError" for any other pair: waitid never reports it.
 */
function childCodeModel(code: number, status: number): StatusModel | "RangeError" {
  switch (code) {
    case CLD_EXITED: return status >= 0 && status <= 0xff ? exited(status) : "RangeError";
    case CLD_KILLED:
    case CLD_DUMPED: return isKillSignal(status) ? signaled(status, code === CLD_DUMPED) : "RangeError";
    case CLD_STOPPED: return isSignal(status) ? stopped(status) : "RangeError";
    case CLD_TRAPPED: return status >= 0 && status <= 0xffff && isStopSignal(status & 0xff) ? stopped(status & 0xff) : "RangeError";
    case CLD_CONTINUED: return status === SIGCONT ? CONTINUED : "RangeError";
  }
  return "RangeError";
}

/** The raw wait status a (si_code, si_status) pair decodes to (kernel/exit.c, the other way round). */
function rawOf(model: StatusModel): number {
  switch (model.kind) {
    case "exited": return model.code! << 8;
    case "signaled": return model.signalNumber! | (model.coreDumped ? 0x80 : 0);
    case "stopped": return (model.signalNumber! << 8) | 0x7f;
    case "continued": return 0xffff;
  }
}

/** Asserts that `got` is what (si_code, si_status) means, or a RangeError when it means nothing. */
function assertChildStatus(got: Outcome<ExitStatus | null>, code: number, status: number, what: string): void {
  const model = childCodeModel(code, status);
  if (model === "RangeError") return assertThrew(got, "RangeError", `${what} (waitid never reports it)`, OUT_OF_RANGE);
  assert.ok("value" in got, `${what}: ${"message" in got ? got.message : ""}`);
  assertStatus(got.value, rawOf(model), model, what);
}

/** si_status values: exit codes, signal numbers, ptrace stops with an event, and the edges of all of them. */
const siStatus = fc.oneof(fc.integer({ min: 0, max: 0x1ff }),
  fc.constantFrom(0, 0x7f, 0x80, 0xff, 0x100, 0x17f, 0x180, 0x85, 0x405, 0x8005, 0x8013, 0xffff, 0x10005, -1, 0x7fffffff, -0x80000000), i32);
/** si_code values: every CLD_* and some that are none. */
const siCode = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: i32 });

const childCodeProperty: FuzzProperty = {
  group: "the public decoders (host/index.ts)",
  name: "waitStatusFromChildCode: the status each CLD_* code and si_status mean, or the documented TypeError / RangeError",
  weight: 5,
  make() {
    const anyArg = fc.oneof({ weight: 8, arbitrary: siCode }, { weight: 1, arbitrary: fc.anything() }, { weight: 1, arbitrary: fc.double() });
    return fc.property(anyArg, fc.oneof({ weight: 8, arbitrary: siStatus }, { weight: 1, arbitrary: fc.anything() }), (code, status) => {
      const what = `waitStatusFromChildCode(${show(code)}, ${show(status)})`;
      const got = outcome(() => waitStatusFromChildCode(code as number, status as number));
      // The code is checked first, then the status.
      for (const [value, valid] of [[code, (n: number) => Number.isInteger(n) && n >= 1 && n <= 6], [status, (n: number) => n === (n | 0)]] as const) {
        if (typeof value !== "number") return assertThrew(got, "TypeError", what);
        if (!valid(value)) return assertThrew(got, "RangeError", what, OUT_OF_RANGE);
      }
      assertChildStatus(got, code as number, status as number, what);
    });
  },
};

/** A siginfo_t as waitid fills it on a 64-bit little-endian machine, `length` bytes (the rest random). */
const siginfoBytes = fc.record({
  length: fc.oneof({ weight: 6, arbitrary: fc.constant(128) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }) }),
  noise: fc.uint8Array({ minLength: 300, maxLength: 300 }),
  code: siCode,
  pid: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4194304 }), i32),
  status: siStatus,
}).map(({ length, noise, code, pid, status }) => {
  const bytes = noise.slice(0, length);
  const view = new DataView(bytes.buffer);
  for (const [offset, value] of [[8, code], [16, pid], [24, status]] as const) if (offset + 4 <= length) view.setInt32(offset, value, true);
  return bytes;
});

const siginfoProperty: FuzzProperty = {
  group: "the public decoders (host/index.ts)",
  name: "decodeSiginfo: any bytes give null (si_pid 0), the status si_code and si_status mean, or the documented TypeError / RangeError",
  weight: 10,
  make() {
    const input = fc.oneof({ weight: 8, arbitrary: siginfoBytes }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.anything() });
    return fc.property(input, (bytes) => {
      const what = `decodeSiginfo(${bytes instanceof Uint8Array ? `${bytes.length} bytes ${Buffer.from(bytes.subarray(0, 28)).toString("hex")}` : show(bytes)})`;
      const got = outcome(() => decodeSiginfo(bytes as Uint8Array));
      if (!(bytes instanceof Uint8Array)) return assertThrew(got, "TypeError", what);
      if (bytes.length < 128) return assertThrew(got, "RangeError", what);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (view.getInt32(16, true) === 0) return assert.deepEqual(got, { value: null }, what);
      assertChildStatus(got, view.getInt32(8, true), view.getInt32(24, true), what);
    });
  },
};

/**
 * What the exit_code of a struct pidfd_info means (docs/api.md, getInfo()): the kernel copies
 * the task's exit_code, a wait status for a process (exited or killed, never a stop) and any int
 * for a kernel thread (kthread_exit()). Only a status a process ends with is one; else null.
 */
function exitCodeModel(exitCode: number): StatusModel | null {
  const model = exitCode >= 0 && exitCode <= 0xffff ? waitStatusModel(exitCode) : null;
  return model?.kind === "exited" || model?.kind === "signaled" ? model : null;
}

/**
 * The PidFdInfo that the bytes of a struct pidfd_info (include/uapi/linux/pidfd.h) hold, field
 * by field: every __u32 unsigned, exit_code (__s32) signed.
 */
function pidfdInfoModel(bytes: Uint8Array): { info: Omit<PidFdInfo, "exit">; exitCode: number | null } {
  const padded = new Uint8Array(Math.max(80, bytes.length));
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const u32 = (offset: number): number => view.getUint32(offset, true);
  const mask = u32(0) & 0x7fffffff; // the masks are numbers: bits 31-63 name nothing in any kernel
  const has = (bit: number): boolean => (mask & bit) !== 0;
  return {
    info: {
      mask,
      pid: has(1) ? u32(16) : null,
      tgid: has(1) ? u32(20) : null,
      ppid: has(1) ? u32(24) : null,
      creds: has(2)
        ? { ruid: u32(28), rgid: u32(32), euid: u32(36), egid: u32(40), suid: u32(44), sgid: u32(48), fsuid: u32(52), fsgid: u32(56) }
        : null,
      cgroupId: has(4) ? view.getBigUint64(8, true) : null,
      coredump: has(16) ? coredumpFlags(u32(64), has(64) ? u32(68) : null) : null,
      supportedMask: has(32) ? u32(72) : null,
    },
    exitCode: has(8) ? view.getInt32(60, true) : null,
  };
}

/** Bytes of a struct pidfd_info of 64, 72 or 80 bytes (or any length), fields plausible or random. */
const pidfdInfoBytes = fc.record({
  length: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(64, 72, 80) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 120 }) }),
  noise: fc.uint8Array({ minLength: 120, maxLength: 120 }),
  mask: fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.nat()),
  pid: fc.oneof(fc.integer({ min: 0, max: 4194304 }), fc.nat({ max: 0xffffffff })),
  ppid: fc.oneof(fc.integer({ min: 0, max: 4194304 }), fc.constantFrom(0x7fffffff, 0x80000000, 0xffffffff), fc.nat({ max: 0xffffffff })),
  // Exit and kill statuses, stops, and what a kernel thread's exit_code can be (any int: -EINTR, 0x10000).
  exitCode: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(-4, -1, 0x10000, 0x10009, 0x1ff00, 0x137f, 0xffff), siStatus),
}).map(({ length, noise, mask, pid, ppid, exitCode }) => {
  const bytes = noise.slice(0, length);
  const view = new DataView(bytes.buffer);
  for (const [offset, value] of [[0, mask], [16, pid], [20, pid], [24, ppid], [60, exitCode >>> 0]] as const) {
    if (offset + 4 <= length) view.setUint32(offset, value, true);
  }
  return bytes;
});

const pidfdInfoProperty: FuzzProperty = {
  group: "the public decoders (host/index.ts)",
  name: "decodePidfdInfo: any bytes give the fields they hold (null where the mask says none; exit null for no process's end), or the documented TypeError / RangeError",
  weight: 10,
  make() {
    const input = fc.oneof({ weight: 8, arbitrary: pidfdInfoBytes }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }) },
      { weight: 1, arbitrary: fc.anything() });
    return fc.property(input, (bytes) => {
      const what = `decodePidfdInfo(${bytes instanceof Uint8Array ? `${bytes.length} bytes ${Buffer.from(bytes).toString("hex")}` : show(bytes)})`;
      const got = outcome(() => decodePidfdInfo(bytes as Uint8Array));
      if (!(bytes instanceof Uint8Array)) return assertThrew(got, "TypeError", what);
      if (bytes.length < 64) return assertThrew(got, "RangeError", what);
      const { info, exitCode } = pidfdInfoModel(bytes);
      const exit = exitCode === null ? null : exitCodeModel(exitCode);
      assert.ok("value" in got, `${what}: ${"message" in got ? got.message : ""}`);
      const { exit: decodedExit, ...fields } = got.value;
      for (const [key, held] of Object.entries(info)) {
        const read = fields[key as keyof typeof fields];
        assert.deepEqual(read, held, `${what}: ${key} read as ${show(read)}, the bytes hold ${show(held)}`);
      }
      assert.deepEqual(Object.keys(fields).sort(), Object.keys(info).sort(), `${what}: the fields`);
      if (exit) assertStatus(decodedExit, exitCode!, exit, `${what}: exit`);
      else assert.equal(decodedExit, null, `${what}: exit_code ${exitCode} read as ${decodedExit}`);
    });
  },
};

// fdinfo text: a model of the format that reads it with regular expressions, byte for byte.

/** The bytes a parser sees: UTF-8 of a string, at most the first 4096 (the core's scratch area, docs/abi.md). */
function fdinfoBytes(text: string | Uint8Array): string {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
}

/** The value of the first line that starts with `key`, or null without one. */
function lineValue(text: string, key: string): string | null {
  const at = `\n${text}`.indexOf(`\n${key}`);
  return at < 0 ? null : text.slice(at + key.length);
}

const INT32 = /^[ \t]*(-?\d+)/;

/** The i32 at the start of `rest` (after blanks), its length, or null. */
function leadingInt32(rest: string): [number, number] | null {
  const match = INT32.exec(rest);
  if (!match) return null;
  const value = BigInt(match[1]!);
  return value < -(2n ** 31n) || value >= 2n ** 31n ? null : [Number(value), match[0].length];
}

function fdinfoModel(text: string | Uint8Array): { pid: number; nspidDepth: number; nspidInner: number } | null {
  const bytes = fdinfoBytes(text);
  const pidLine = lineValue(bytes, "Pid:");
  const pid = pidLine === null ? null : leadingInt32(pidLine);
  if (!pid) return null;
  let nspidDepth = 0;
  let nspidInner = 0;
  for (let rest = lineValue(bytes, "NSpid:"), entry; rest !== null && (entry = leadingInt32(rest)); rest = rest.slice(entry[1])) {
    nspidDepth++;
    nspidInner = entry[0];
  }
  return { pid: pid[0], nspidDepth, nspidInner };
}

/** The unsigned number in `radix` digits at the start of the line `key` (after blanks), if it fits in 63 bits. */
function leadingUnsigned(bytes: string, key: string, digits: RegExp, prefix: string): bigint | null {
  const rest = lineValue(bytes, key);
  const match = rest === null ? null : digits.exec(rest);
  if (!match) return null;
  const value = BigInt(`${prefix}${match[1]}`);
  return value < 2n ** 63n ? value : null;
}

function fdinfoCommonModel(text: string | Uint8Array): { flags: number; pos: bigint } | null {
  const bytes = fdinfoBytes(text);
  const flags = leadingUnsigned(bytes, "flags:", /^[ \t]*([0-7]+)/, "0o");
  const pos = leadingUnsigned(bytes, "pos:", /^[ \t]*(\d+)/, "");
  if (flags === null || pos === null || flags > 0x7fffffffn) return null;
  return { flags: Number(flags), pos };
}

/** Odd values for a line of fdinfo: the edges of i32 and of 63 bits, bad digits, no digits. */
const oddFdinfoValue = fc.oneof(
  fc.constantFrom("2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999", "0777", "089", "-", "", "0x10", "--5",
    "9223372036854775807", "9223372036854775808", "777777777777777777777", "00000000000000000001", " 7", "\t-0", "5-6", "12abc"),
  fc.string({ unit: "binary-ascii", maxLength: 6 }),
);

/** How a line of fdinfo text is changed: dropped, doubled, given an odd value, moved, preceded by another line. */
const fdinfoEdit = fc.tuple(fc.constantFrom("drop", "double", "odd value", "swap", "junk line", "no tab"), fc.nat(), oddFdinfoValue,
  fc.constantFrom("pid:", "Pid", "xPid:", "NSpid", " Pid:", "flags", "pos :", "Pid:", "NSpid:", "flags:", "pos:"));

/**
 * Text like a pidfd's /proc/self/fdinfo/<fd> (fs/pidfs.c: pos, flags, mnt_id, ino, Pid, NSpid
 * with up to 33 levels), with 0-3 edits, lines ended by \n, \r\n or nothing, sometimes pushed
 * across the 4096 bytes the parser reads.
 */
const fdinfoText = fc.record({
  pos: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n })),
  flags: fc.oneof(fc.constantFrom(0o2000002, 0o2004002, 0), fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n })),
  pid: fc.oneof(fc.integer({ min: -1, max: 4194304 }), i32),
  nspid: fc.array(fc.oneof(fc.integer({ min: 1, max: 4194304 }), i32), { maxLength: 33 }),
  edits: fc.array(fdinfoEdit, { maxLength: 3 }),
  end: fc.constantFrom("\n", "\n", "\r\n", ""),
  padding: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 3900, max: 4200 }) }),
}).map(({ pos, flags, pid, nspid, edits, end, padding }) => {
  const lines: [string, string][] = [["pos:", `${pos}`], ["flags:", `0${flags.toString(8)}`], ["mnt_id:", "15"], ["ino:", "1057"], ["Pid:", `${pid}`]];
  if (nspid.length > 0) lines.push(["NSpid:", nspid.join("\t")]);
  for (const [edit, at, value, key] of edits) {
    const i = at % lines.length;
    if (edit === "drop") lines.splice(i, 1);
    else if (edit === "double") lines.splice(i, 0, [lines[i]![0], value]);
    else if (edit === "odd value") lines[i] = [lines[i]![0], value];
    else if (edit === "swap") lines.splice(0, 0, ...lines.splice(i, 1));
    else if (edit === "junk line") lines.splice(i, 0, [key, value]);
    else lines[i] = [lines[i]![0], lines[i]![1].trimStart()];
    if (lines.length === 0) lines.push([key, value]);
  }
  const body = lines.map(([key, value]) => `${key}${value.startsWith(" ") || key.endsWith(" ") ? "" : "\t"}${value}${end}`).join("");
  return padding ? `${"x".repeat(padding)}\n${body}` : body;
});

const fdinfoInput = fc.oneof(
  { weight: 8, arbitrary: fdinfoText },
  { weight: 1, arbitrary: fdinfoText.map((text) => new TextEncoder().encode(text)) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ unit: "binary" }), fc.uint8Array({ maxLength: 64 }), fc.anything()) },
);

const fdinfoProperty: FuzzProperty = {
  group: "the public decoders (host/index.ts)",
  name: "parseFdinfo: any text gives the Pid: and NSpid: values it holds, null without a Pid: number, or the documented TypeError",
  weight: 10,
  make() {
    return fc.property(fdinfoInput, (text) => {
      const what = `parseFdinfo(${show(text instanceof Uint8Array ? Buffer.from(text).toString("latin1") : text)})`;
      const got = outcome(() => parseFdinfo(text as string));
      if (typeof text !== "string" && !(text instanceof Uint8Array)) return assertThrew(got, "TypeError", what);
      assert.deepEqual(got, { value: fdinfoModel(text) }, what);
    });
  },
};

const fdinfoCommonProperty: FuzzProperty = {
  group: "the public decoders (host/index.ts)",
  name: "parseFdinfoCommon: any text gives the flags: (octal) and pos: values it holds, null without both, or the documented TypeError",
  weight: 7,
  make() {
    return fc.property(fdinfoInput, (text) => {
      const what = `parseFdinfoCommon(${show(text instanceof Uint8Array ? Buffer.from(text).toString("latin1") : text)})`;
      const got = outcome(() => parseFdinfoCommon(text as string));
      if (typeof text !== "string" && !(text instanceof Uint8Array)) return assertThrew(got, "TypeError", what);
      assert.deepEqual(got, { value: fdinfoCommonModel(text) }, what);
    });
  },
};

/** Every property: the import layer, the core's exports, the public decoders. */
export const PROPERTIES: readonly FuzzProperty[] = [
  ...HOST_IMPORT_NAMES.map(importProperty),
  coreExportsProperty,
  fromRawProperty,
  childCodeProperty,
  siginfoProperty,
  pidfdInfoProperty,
  fdinfoProperty,
  fdinfoCommonProperty,
];

/** The coredump_mask bits as include/uapi/linux/pidfd.h names them (PIDFD_COREDUMPED 1, _SKIP 2, _USER 4, _ROOT 8). */
function coredumpFlags(mask: number, signal: number | null) {
  return { mask, dumped: (mask & 1) !== 0, skipped: (mask & 2) !== 0, user: (mask & 4) !== 0, root: (mask & 8) !== 0, signal };
}
