// The lifecycle benchmarks: spawn → exit per child (a group of the interleaved micro-benchmarks),
// and exit-notification latency for many children exiting over about a second (a phase of its
// own, after the micro-benchmarks: it floods the CPUs).
import * as childProcess from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { spawn } from "../host/index.js";
import { kernelCore } from "../host/runtime.js";
import { median, nowNs } from "./harness.js";
import { devNullStdio, environPointer, koffi, P_PIDFD, raw, WEXITED } from "./raw_koffi.js";
import type { OpGroup } from "./ops.js";
import type { Worker } from "./workers.js";

/**
 * spawn('/bin/true') → exit, one child at a time, in every system (unit: one child), each
 * variant warmed with `warmup` children first: on Node 20 V8 optimizes spawn()'s path only after
 * 1,500 to 4,000 children (each of its functions runs once per child), and a calibration alone
 * spawns about a hundred.
 */
export function spawnGroup(workers: Worker[], warmup: number): OpGroup {
  return {
    id: "spawn_wait", label: "spawn(/bin/true) → exit", unit: "child", warmup,
    targets: { C: 1.1, Node: 0.67 },
    variants: [
      {
        system: "ours",
        note: "spawn('/bin/true', [], {stdio: 'ignore'}) + await sub.exited",
        run: async (n) => {
          const start = nowNs();
          for (let i = 0; i < n; i++) {
            const status = await spawn("/bin/true", [], { stdio: "ignore" }).exited;
            if (status.code !== 0) throw new Error(`/bin/true: ${status}`);
          }
          return nowNs() - start;
        },
      },
      ...workers.map((worker) => ({
        system: worker.name,
        run: worker.loop("spawn_wait"),
        note: worker.name === "C"
          ? "posix_spawn (0-2 on /dev/null, environ) + pidfd_open + waitid(P_PIDFD)"
          : "os.posix_spawn (0-2 on /dev/null, os.environ) + os.pidfd_open + os.waitid(P_PIDFD)",
      })),
      {
        system: "koffi",
        note: "C's sequence through koffi from this process: posix_spawn + pidfd_open + a blocking waitid(P_PIDFD) + close (the floor for a Node process)",
        run: (n) => {
          const pid = new Int32Array(1);
          const siginfo = new Uint8Array(128);
          const argv = ["/bin/true", null];
          const start = nowNs();
          for (let i = 0; i < n; i++) {
            const err = raw.posix_spawn(pid, "/bin/true", devNullStdio, null, argv, environPointer());
            if (err !== 0) throw new Error(`posix_spawn: errno ${err}`);
            const fd = raw.pidfd_open(pid[0], 0);
            if (fd < 0) throw new Error(`pidfd_open: errno ${koffi.errno()}`);
            while (raw.waitid(P_PIDFD, fd, siginfo, WEXITED) < 0) if (koffi.errno() !== 4) throw new Error(`waitid: errno ${koffi.errno()}`);
            raw.close(fd);
          }
          return nowNs() - start;
        },
      },
      {
        system: "Node",
        note: "child_process.spawn('/bin/true', [], {stdio: 'ignore'}) + 'exit'",
        run: async (n) => {
          const start = nowNs();
          for (let i = 0; i < n; i++) {
            const [code] = await once(childProcess.spawn("/bin/true", [], { stdio: "ignore" }), "exit");
            if (code !== 0) throw new Error(`/bin/true: exit ${code}`);
          }
          return nowNs() - start;
        },
      },
    ],
  };
}

/** One latency run: each child's (seen − deadline) in ns, in spawn order. */
interface LatencyRun {
  latenciesNs: number[];
  /** Children that woke after their deadline had passed (exit status 3), or failed. */
  late: number;
  /** From the first spawn to the last exit seen, ms. */
  wallMs: number;
}

type LatencyRunner = (n: number, spacing: number) => Promise<LatencyRun>;

export interface LatencySystem {
  system: string;
  note: string;
  /** Per repetition: p50, p99, max (ms), late children, wall ms. */
  reps: { p50: number; p99: number; max: number; late: number; wallMs: number }[];
  p50?: number;
  p99?: number;
  max?: number;
  worstMax?: number;
  skipped?: string;
}

export interface LatencyResult {
  children: number;
  spreadMs: number;
  systems: LatencySystem[];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Starts one sleeper with `offset` (ns) as argv[1] and `gate` as its fd 3; resolves when its exit is seen, with whether it ran late. */
type Starter = (offset: number, gate: number, onExit: (late: boolean) => void) => void;

/**
 * Starts `n` sleepers through `start`, each waiting on the gate pipe; once all have started,
 * writes the base time (now + 250 ms) once per child, so child i exits at base + i * spacing and
 * the spawn loop never delays an exit.
 */
async function gatedRun(n: number, spacing: number, start: Starter): Promise<LatencyRun> {
  const pair = new Int32Array(2);
  const rc = kernelCore().process.pipe(pair, kernelCore().exports.o_cloexec() >>> 0);
  if (rc < 0) throw new Error(`pipe2: errno ${-rc}`);
  const [gate, opener] = [pair[0]!, pair[1]!];
  const latenciesNs = new Array<number>(n);
  let late = 0;
  let base = Infinity;
  const started = nowNs();
  const exits: Promise<void>[] = [];
  try {
    for (let i = 0; i < n; i++) {
      exits.push(new Promise((resolve) => start(i * spacing, gate, (wasLate) => {
        latenciesNs[i] = nowNs() - (base + i * spacing);
        if (wasLate) late++;
        resolve();
      })));
    }
  } finally {
    fs.closeSync(gate);
  }
  base = nowNs() + 250e6;
  const word = Buffer.alloc(8);
  word.writeBigInt64LE(BigInt(base));
  const all = Buffer.concat(Array.from({ length: n }, () => word));
  for (let off = 0; off < all.length; off += 4096) fs.writeSync(opener, all, off, Math.min(4096, all.length - off));
  fs.closeSync(opener);
  await Promise.all(exits);
  return { latenciesNs, late, wallMs: (nowNs() - started) / 1e6 };
}

/** Ours: spawn() each sleeper, the time `exited` resolves. */
const oursRunner = (sleeper: string): LatencyRunner => (n, spacing) => gatedRun(n, spacing, (offset, gate, onExit) => {
  spawn(sleeper, [String(offset)], { stdio: ["ignore", "ignore", "ignore", gate] }).exited.then(
    (status) => onExit(status.code !== 0),
    () => onExit(true),
  );
});

/** Node: child_process.spawn each sleeper, the time its 'exit' event fires. */
const nodeRunner = (sleeper: string): LatencyRunner => (n, spacing) => gatedRun(n, spacing, (offset, gate, onExit) => {
  const child = childProcess.spawn(sleeper, [String(offset)], { stdio: ["ignore", "ignore", "ignore", gate] });
  child.on("error", () => onExit(true));
  child.on("exit", (code) => onExit(code !== 0));
});

/** C: the worker's epoll loop over pidfds (bench/c/ops.c, exit_latency). */
const cRunner = (worker: Worker, sleeper: string): LatencyRunner => async (n, spacing) => {
  const started = nowNs();
  const words = await worker.request(`exit_latency ${n} ${spacing} ${sleeper}`);
  const late = words.indexOf("late");
  return { latenciesNs: words.slice(0, late).map(Number), late: Number(words[late + 1]), wallMs: (nowNs() - started) / 1e6 };
};

export interface LatencyOptions {
  children: number;
  spreadMs: number;
  reps: number;
  log?: (line: string) => void;
}

/**
 * Exit-notification latency: `children` sleepers whose deadlines are spread evenly over
 * `spreadMs`, from 250 ms after the last one started (the gate pipe); latency = when the waiter's
 * code saw the exit − the deadline (both CLOCK_MONOTONIC). Systems take turns, rotated per rep.
 */
export async function exitLatency(sleeper: string, cWorker: Worker | undefined, options: LatencyOptions): Promise<LatencyResult> {
  const entries: { result: LatencySystem; run?: LatencyRunner }[] = [
    { result: { system: "ours", note: "spawn() + `exited` (waitAsync: the shared epoll set, waitid WNOHANG)", reps: [] },
      run: oursRunner(sleeper) },
    { result: { system: "C", note: "posix_spawn + pidfd_open, one epoll set, waitid WNOHANG per ready pidfd", reps: [] },
      run: cWorker && cRunner(cWorker, sleeper) },
    { result: { system: "Node", note: "child_process.spawn (stdio ignore), 'exit' event", reps: [] },
      run: nodeRunner(sleeper) },
  ];
  if (!cWorker) entries[1]!.result.skipped = "no C worker";
  const { children: n, spreadMs, reps } = options;
  const spacing = Math.round((spreadMs * 1e6) / n);
  const active = entries.filter((e) => e.run);
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < active.length; k++) {
      const entry = active[(k + rep) % active.length]!;
      try {
        const run = await entry.run!(n, spacing);
        const sorted = run.latenciesNs.map((ns) => ns / 1e6).sort((a, b) => a - b);
        entry.result.reps.push({
          p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1]!,
          late: run.late, wallMs: run.wallMs,
        });
        options.log?.(`  latency ${entry.result.system} rep ${rep + 1}/${reps}: p50 ${percentile(sorted, 0.5).toFixed(2)} ms, `
          + `p99 ${percentile(sorted, 0.99).toFixed(2)} ms, ${run.late} late`);
      } catch (error) {
        entry.result.skipped = `error: ${error instanceof Error ? error.message : String(error)}`;
        entry.run = undefined;
      }
    }
  }
  for (const { result } of entries) {
    if (result.reps.length === 0) continue;
    result.p50 = median(result.reps.map((r) => r.p50));
    result.p99 = median(result.reps.map((r) => r.p99));
    result.max = median(result.reps.map((r) => r.max));
    result.worstMax = Math.max(...result.reps.map((r) => r.max));
  }
  return { children: n, spreadMs, systems: entries.map((e) => e.result) };
}

/** The latency targets: ours p99 ≤ C's p99 + 0.2 ms, and below Node's. */
export function latencyChecks(result: LatencyResult): { met: boolean; text: string }[] {
  const p99 = (system: string) => result.systems.find((s) => s.system === system)?.p99;
  const ours = p99("ours");
  const checks: { met: boolean; text: string }[] = [];
  if (ours === undefined) return checks;
  const c = p99("C");
  if (c !== undefined) {
    const met = ours <= c + 0.2;
    checks.push({ met, text: met ? "C ✓" : `C ✗ (p99 ${ours.toFixed(2)} vs ≤ ${(c + 0.2).toFixed(2)} ms)` });
  }
  const node = p99("Node");
  if (node !== undefined) {
    const met = ours < node;
    checks.push({ met, text: met ? "Node ✓" : `Node ✗ (p99 ${ours.toFixed(2)} vs < ${node.toFixed(2)} ms)` });
  }
  return checks;
}

export interface ConcurrentSystem {
  system: string;
  note: string;
  /** µs per child, one child at a time (median over reps). */
  sequentialUs?: number;
  /** µs per child with every child spawned before the first is waited for (median over reps). */
  concurrentUs?: number;
  skipped?: string;
}

export interface ConcurrentResult {
  children: number;
  /** Children per sequential repetition. */
  sequentialChildren: number;
  systems: ConcurrentSystem[];
}

/** The concurrency target: µs per child with all children at once ≤ 1.1 × one at a time. */
export const CONCURRENT_TARGET = 1.1;

/** Ours: `n` spawn()s, then every `exited` (all n children in the epoll set at once). */
async function oursConcurrent(n: number): Promise<number> {
  const start = nowNs();
  const exits: Promise<unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) exits[i] = spawn("/bin/true", [], { stdio: "ignore" }).exited;
  const statuses = await Promise.all(exits) as { code: number | null }[];
  const elapsed = nowNs() - start;
  if (statuses.some((s) => s.code !== 0)) throw new Error("a /bin/true failed");
  return elapsed;
}

async function oursSequential(n: number): Promise<number> {
  const start = nowNs();
  for (let i = 0; i < n; i++) {
    const status = await spawn("/bin/true", [], { stdio: "ignore" }).exited;
    if (status.code !== 0) throw new Error(`/bin/true: ${status}`);
  }
  return nowNs() - start;
}

/**
 * `children` /bin/true children spawned at once, then waited for, against the same work one child
 * at a time, in µs per child, for ours and C (bench/c/ops.c, spawn_concurrent: posix_spawn +
 * pidfd_open for all, then waitid(P_PIDFD) for each). Needs one pidfd per child: the run is
 * refused when RLIMIT_NOFILE is too low (Node raises the soft limit to the hard one at start).
 */
export async function concurrentSpawn(
  cWorker: Worker | undefined, options: { children: number; reps: number; log?: (line: string) => void },
): Promise<ConcurrentResult> {
  const { children, reps } = options;
  const sequentialChildren = Math.min(children, 500);
  const systems: (ConcurrentSystem & { seq?: (n: number) => Promise<number>; conc?: (n: number) => Promise<number> })[] = [
    { system: "ours", note: "spawn('/bin/true', [], {stdio: 'ignore'}) × n, then await every `exited`", seq: oursSequential, conc: oursConcurrent },
    {
      system: "C", note: "posix_spawn + pidfd_open × n, then waitid(P_PIDFD) each",
      seq: cWorker && ((n) => cWorker.run("spawn_wait", n)),
      conc: cWorker && (async (n) => Number((await cWorker.request(`spawn_concurrent ${n}`))[0])),
    },
  ];
  if (!cWorker) systems[1]!.skipped = "no C worker";
  const seq: Record<string, number[]> = {};
  const conc: Record<string, number[]> = {};
  for (let rep = 0; rep < reps; rep++) {
    for (const s of systems) {
      if (!s.seq || !s.conc || s.skipped) continue;
      try {
        (seq[s.system] ??= []).push((await s.seq(sequentialChildren)) / sequentialChildren / 1000);
        (conc[s.system] ??= []).push((await s.conc(children)) / children / 1000);
        options.log?.(`  concurrent ${s.system} rep ${rep + 1}/${reps}: ${seq[s.system]!.at(-1)!.toFixed(0)} µs one at a time, `
          + `${conc[s.system]!.at(-1)!.toFixed(0)} µs at once`);
      } catch (error) {
        s.skipped = `error: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
  return {
    children, sequentialChildren,
    systems: systems.map(({ system, note, skipped }) => ({
      system, note, skipped,
      sequentialUs: seq[system] && median(seq[system]!), concurrentUs: conc[system] && median(conc[system]!),
    })),
  };
}

export function concurrentTable(result: ConcurrentResult): string {
  const us = (v: number | undefined) => (v === undefined ? "—" : Math.round(v).toLocaleString("en-US"));
  const lines = [
    `| system | one at a time µs (${result.sequentialChildren} children) | all at once µs (${result.children} children) | at once / one at a time |`,
    "|---|---:|---:|---:|",
  ];
  for (const s of result.systems) {
    const r = s.sequentialUs && s.concurrentUs ? (s.concurrentUs / s.sequentialUs).toFixed(2) : "—";
    lines.push(`| ${s.system}: ${s.note} | ${us(s.sequentialUs)} | ${us(s.concurrentUs)} | ${s.skipped ?? r} |`);
  }
  const ours = result.systems.find((s) => s.system === "ours");
  const c = result.systems.find((s) => s.system === "C");
  if (ours?.concurrentUs && c?.concurrentUs) lines.push("", `All at once, ours / C: ${(ours.concurrentUs / c.concurrentUs).toFixed(2)}.`);
  return lines.join("\n");
}

/** ours at once / ours one at a time ≤ CONCURRENT_TARGET. */
export function concurrentChecks(result: ConcurrentResult): { met: boolean; text: string }[] {
  const ours = result.systems.find((s) => s.system === "ours");
  if (!ours?.sequentialUs || !ours.concurrentUs) return [];
  const r = ours.concurrentUs / ours.sequentialUs;
  const met = r <= CONCURRENT_TARGET;
  return [{ met, text: met ? "concurrent ✓" : `concurrent ✗ (${r.toFixed(2)} vs ≤ ${CONCURRENT_TARGET})` }];
}
