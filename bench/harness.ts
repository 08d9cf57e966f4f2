// The measuring machinery of `npm run bench`: groups of variants (the same operation done by
// several systems, or through several layers), calibrated, warmed up, then run in interleaved
// rounds so that every variant sees the same machine; medians over the rounds.
import v8 from "node:v8";
import vm from "node:vm";

/** Runs an operation `n` times and returns the elapsed nanoseconds (its own clock). */
export type Loop = (n: number) => number | Promise<number>;

/** One way of doing a group's operation. */
export interface Variant {
  /** Column name: "ours", "C", "Python", "Node", "koffi", or a layer name. */
  system: string;
  /** The measured loop; absent when the variant does not exist (then `missing` says why). */
  run?: Loop;
  /** Why there is no such variant (e.g. "Node has no pidfd"). */
  missing?: string;
  /** What this variant does exactly, for the docs (e.g. "fs.readFileSync('/proc/self/fdinfo/N') + regex"). */
  note?: string;
}

/** An operation measured in several variants, side by side. */
export interface Group {
  id: string;
  label: string;
  /** The unit of one iteration, for the table ("op", or "child" for the lifecycle). */
  unit?: string;
  /**
   * Untimed iterations each variant runs before its calibration, for a group whose iterations
   * are too slow for the calibration alone to get V8 to optimize them (MeasureOptions.warmup).
   */
  warmup?: number;
  variants: Variant[];
}

export interface Stats {
  /** ns per iteration over the rounds. */
  median: number;
  min: number;
  max: number;
  /** Iterations per round. */
  n: number;
  /** ns per iteration, one per round. */
  samples: number[];
}

export interface VariantResult {
  system: string;
  note?: string;
  stats?: Stats;
  /** Why there is no measurement: missing variant, or the error it raised. */
  skipped?: string;
}

export interface GroupResult {
  id: string;
  label: string;
  unit: string;
  variants: VariantResult[];
}

export interface MeasureOptions {
  /** Timed rounds (each variant runs once per round). */
  rounds: number;
  /** Target duration of one timed repetition, in ms. */
  repMs: number;
  /** Called with progress lines. */
  log?: (line: string) => void;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nanoseconds on the monotonic clock, as a number. */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * Wraps an inline loop body: the Loop calls `body` n times between two clock reads. The call
 * through `body` costs a few ns, which is noise next to a syscall (~1 µs on the bench VM).
 */
export function loop(body: () => void): Loop {
  return (n) => {
    const start = nowNs();
    for (let i = 0; i < n; i++) body();
    return nowNs() - start;
  };
}

/**
 * Finds the iteration count whose repetition lasts about `repMs` (this is the warm-up too: the
 * JIT tiers up and the kernel's caches fill), then runs one more untimed repetition.
 */
async function calibrate(run: Loop, repMs: number): Promise<number> {
  const target = repMs * 1e6;
  let n = 8;
  for (;;) {
    const elapsed = await run(n);
    if (elapsed >= target / 4 || n >= 1 << 24) {
      n = Math.max(1, Math.round((n * target) / Math.max(elapsed, 1)));
      await run(n);
      return n;
    }
    n *= elapsed < target / 64 ? 8 : 2;
  }
}

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as (options: { type: "minor" | "major" }) => void;

/**
 * Empties the young generation before a timed repetition, so that a variant pays only for the
 * collections its own allocations cause: the garbage the variant before it left (Node's
 * readFileSync, an exception's stack) would otherwise be collected in the first variant that
 * allocates, and never in one that does not (raw koffi).
 */
function startClean(): void {
  gc({ type: "minor" });
}

/** Thrown by a Loop whose variant turns out not to exist (e.g. a worker without that op). */
export class Missing extends Error {}

function describe(error: unknown): string {
  if (error instanceof Missing) return error.message;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The order of the `count` slots in round `round`: a permutation shuffled from the round number
 * (the same in every run). Not a rotation: a rotation keeps every slot after the same neighbour,
 * and a variant that frees many kernel objects (getNamespace + close: nsfs files and dentries,
 * freed after an RCU grace period) slows the syscalls of whatever runs in the next 20 to 25 ms,
 * always the same variant (ours tryWait() paid 10 to 35 % more per call for it). Shuffled, the
 * slowdown lands on a different slot each round and the medians leave it out.
 */
export function roundOrder(count: number, round: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let seed = (round + 1) * 0x9e3779b1;
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Measures every variant of every group: calibration first, then `rounds` rounds; in each round
 * every variant runs one timed repetition, in an order shuffled anew each round (roundOrder()).
 */
export async function measure(groups: readonly Group[], options: MeasureOptions): Promise<GroupResult[]> {
  interface Slot { result: VariantResult; run: Loop; n: number; samples: number[] }
  const slots: Slot[] = [];
  const results: GroupResult[] = [];
  for (const group of groups) {
    const variants: VariantResult[] = [];
    for (const variant of group.variants) {
      const result: VariantResult = { system: variant.system };
      if (variant.note) result.note = variant.note;
      variants.push(result);
      if (!variant.run) {
        result.skipped = variant.missing ?? "no such variant";
        continue;
      }
      try {
        if (group.warmup) await variant.run(group.warmup);
        const n = await calibrate(variant.run, options.repMs);
        slots.push({ result, run: variant.run, n, samples: [] });
      } catch (error) {
        result.skipped = describe(error);
      }
    }
    results.push({ id: group.id, label: group.label, unit: group.unit ?? "op", variants });
    options.log?.(`  calibrated ${group.id}`);
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const index of roundOrder(slots.length, round)) {
      const slot = slots[index]!;
      if (slot.result.skipped) continue;
      try {
        startClean();
        slot.samples.push((await slot.run(slot.n)) / slot.n);
      } catch (error) {
        slot.result.skipped = describe(error);
      }
    }
    options.log?.(`  round ${round + 1}/${options.rounds}`);
  }
  for (const slot of slots) {
    if (slot.result.skipped || slot.samples.length === 0) continue;
    slot.result.stats = {
      median: median(slot.samples), min: Math.min(...slot.samples), max: Math.max(...slot.samples),
      n: slot.n, samples: slot.samples,
    };
  }
  return results;
}

/** The median ns/op of `system` in a group result, if it was measured. */
export function medianOf(group: GroupResult, system: string): number | undefined {
  return group.variants.find((v) => v.system === system)?.stats?.median;
}
