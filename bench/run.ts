// `npm run bench`: every synchronous operation side by side in ours, C, Python, plain Node and raw
// koffi, the layer breakdown, and the memory check; prints Markdown tables and writes JSON to
// bench/results/. Then, as a phase of its own (it floods the CPUs), the exit-notification latency
// of BENCH_LATENCY_CHILDREN children. Environment: BENCH_ROUNDS (default 15), BENCH_REP_MS
// (default 30), BENCH_MEMORY_OPS (default 1000000), BENCH_LATENCY_CHILDREN (default 1000),
// BENCH_LATENCY_REPS (default 3), CC, PYTHON.
// Flags: --quick (a development run under 20 s: fewer, shorter rounds, fewer operations and
// children; the full run stays the reference), --only=<section,...> (sections: ops, spawn,
// concurrent, cli, trees, layers, memory, latency). `node dist/bench/run.js trees` is the same
// as `--only=trees` without the C and Python workers (bench/trees.ts).
import fs from "node:fs";
import os from "node:os";
import { createFixtures } from "./fixtures.js";
import { measure, type Group } from "./harness.js";
import { LAYERS, layerGroups } from "./layers.js";
import { cliChecks, cliStart, cliTable, type CliResult } from "./cli.js";
import {
  concurrentChecks, concurrentSpawn, concurrentTable, exitLatency, latencyChecks, spawnGroup, type ConcurrentResult, type LatencyResult,
} from "./lifecycle.js";
import { memoryChecks, type MemoryResult } from "./memory.js";
import { operations } from "./ops.js";
import { koffi } from "./raw_koffi.js";
import {
  floorTable, latencyTable, layersTable, memoryTable, operationsTable, skippedList, spawnTable, targetCheck,
} from "./report.js";
import { treeSection } from "./trees.js";
import { buildSleeper, ROOT, startC, startNoop, startPython, versionOf, type Worker } from "./workers.js";

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const SECTIONS = ["ops", "spawn", "concurrent", "cli", "trees", "layers", "memory", "latency"] as const;
type Section = (typeof SECTIONS)[number];

/** The command line: --quick, --only=<sections>. */
function parseFlags(argv: readonly string[]): { quick: boolean; sections: Set<Section> } {
  let quick = false;
  let sections = new Set<Section>(SECTIONS);
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if (arg.startsWith("--only=")) {
      const names = arg.slice("--only=".length).split(",");
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (unknown.length) throw new Error(`bench: unknown section ${unknown.join(", ")} (sections: ${SECTIONS.join(", ")})`);
      sections = new Set(names as Section[]);
    } else {
      throw new Error(`bench: unknown argument ${arg} (--quick, --only=${SECTIONS.join(",")})`);
    }
  }
  return { quick, sections };
}

function machine(loadAverageAtStart: string) {
  return {
    loadAverageAtStart,
    cpu: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    koffi: koffi.version,
    cc: versionOf(process.env.CC ?? "cc", ["--version"]),
    python: versionOf(process.env.PYTHON ?? "python3", ["--version"]),
    loadAverage: os.loadavg().map((l) => l.toFixed(1)).join(" "),
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === "trees") {
    // One section alone: `node dist/bench/run.js trees` (the same as `node dist/bench/trees.js`).
    const { markdown } = await treeSection((line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${markdown}\n`);
    return;
  }
  const started = Date.now();
  const { quick, sections } = parseFlags(process.argv.slice(2));
  const loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  const rounds = intEnv("BENCH_ROUNDS", quick ? 5 : 15);
  const repMs = intEnv("BENCH_REP_MS", quick ? 8 : 30);
  const memoryOps = intEnv("BENCH_MEMORY_OPS", quick ? 20_000 : 1_000_000);
  const latencyChildren = intEnv("BENCH_LATENCY_CHILDREN", quick ? 100 : 1000);
  const latencyReps = intEnv("BENCH_LATENCY_REPS", quick ? 1 : 3);
  const concurrentChildren = intEnv("BENCH_CONCURRENT_CHILDREN", quick ? 200 : 2000);
  const cliRuns = intEnv("BENCH_CLI_RUNS", quick ? 5 : 40);
  const spawnWarmup = intEnv("BENCH_SPAWN_WARMUP", quick ? 100 : 4000);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const has = (section: Section): boolean => sections.has(section);

  const workers: Worker[] = [];
  const notes: string[] = [];
  for (const [name, start] of [["C", startC], ["Python", startPython]] as const) {
    const worker = await start();
    if (typeof worker === "string") {
      notes.push(`${name}: ${worker}`);
      log(`${name} ${worker}`);
    } else {
      workers.push(worker);
    }
  }
  let noop: Worker | undefined;
  if (has("ops")) {
    const worker = await startNoop();
    if (typeof worker === "string") log(`no-op ${worker}`);
    else noop = worker;
  }

  const fx = await createFixtures();
  try {
    const ops = has("ops") ? operations(fx, workers, noop) : [];
    const spawning = has("spawn") ? [spawnGroup(workers, spawnWarmup)] : [];
    const layers = has("layers") ? layerGroups(fx, workers) : [];
    const all: Group[] = [...ops, ...spawning, ...layers];
    log(`measuring ${all.length} groups, ${rounds} rounds of ~${repMs} ms per variant${quick ? " (--quick)" : ""}`);
    const results = await measure(all, { rounds, repMs, log });
    const opResults = results.slice(0, ops.length);
    const spawnResult = spawning.length ? results[ops.length] : undefined;
    const [floor, ...layerResults] = results.slice(ops.length + spawning.length);

    let concurrent: ConcurrentResult | undefined;
    if (has("concurrent")) {
      log(`concurrent spawn: ${concurrentChildren} children at once, against one at a time`);
      concurrent = await concurrentSpawn(workers.find((w) => w.name === "C"), { children: concurrentChildren, reps: quick ? 1 : 3, log });
    }

    let cli: CliResult | undefined;
    if (has("cli")) {
      log(`cli start: ${cliRuns} runs per command`);
      cli = cliStart(cliRuns);
    }

    let memory: MemoryResult[] | undefined;
    if (has("memory")) {
      log(`memory: ${memoryOps.toLocaleString("en-US")} operations per core`);
      memory = memoryChecks(fx, memoryOps);
    }

    let latency: LatencyResult | undefined;
    if (has("latency")) {
      const sleeper = buildSleeper();
      if (typeof sleeper === "string") {
        notes.push(`exit-notification latency: ${sleeper}`);
      } else {
        log(`exit-notification latency: ${latencyChildren} children over ${quick ? 0.3 : 1} s, ${latencyReps} reps per waiter`);
        latency = await exitLatency(sleeper.path, workers.find((w) => w.name === "C"), {
          children: latencyChildren, spreadMs: quick ? 300 : 1000, reps: latencyReps, log,
        });
      }
    }

    const trees = has("trees") ? await treeSection(log, quick) : undefined;
    const targets = new Map(ops.map((g) => [g.id, g.targets]));
    const info = machine(loadAtStart);
    const out: string[] = [];
    if (quick) out.push("_A --quick run: fewer and shorter rounds; for development, not for the record._", "");
    if (ops.length) {
      out.push(`## Operations: median ns per operation over ${rounds} interleaved rounds; ratios are ours / other (lower is better)`);
      out.push("", operationsTable(opResults, targets));
      const skipped = skippedList(opResults);
      if (skipped || notes.length) out.push("", "Not measured:", ...notes.map((n) => `- ${n}`), skipped);
    }
    if (spawnResult) {
      out.push("", "## Lifecycle: spawn → exit, one child at a time (median µs per child over the same rounds)");
      out.push("", spawnTable(spawnResult, spawning[0]!.targets));
    }
    if (concurrent) {
      out.push("", `## Concurrent spawn: ${concurrent.children.toLocaleString("en-US")} children alive at once against one at a time (µs per child)`);
      out.push("", concurrentTable(concurrent));
    }
    if (cli) {
      out.push("", `## CLI start: wall time of one command, median of ${cli.runs} runs`);
      out.push("", cliTable(cli));
    }
    if (latency) {
      out.push("", `## Exit-notification latency: ${latency.children.toLocaleString("en-US")} children exiting evenly over `
        + `${latency.spreadMs} ms (latency = when the waiter's code saw the exit − the child's deadline; medians over reps)`);
      out.push("", latencyTable(latency));
      out.push("", `Latency targets (ours p99 ≤ C's + 0.2 ms, and below Node's): ${latencyChecks(latency).map((c) => c.text).join(" · ") || "—"}`);
    }
    if (trees) out.push("", trees.markdown);
    if (layers.length) {
      out.push("", "## Layers: the same operation entered at each layer (median ns; + ns = added over the layer below)");
      out.push("", layersTable(layerResults, LAYERS));
      out.push("", floorTable(floor!));
    }
    if (memory) {
      out.push("", `## Memory: the core's linear memory across ${memoryOps.toLocaleString("en-US")} operations`);
      out.push("", memoryTable(memory));
    }
    const met = [
      ...opResults.flatMap((g) => targetCheck(g, targets.get(g.id) ?? {})),
      ...(spawnResult ? targetCheck(spawnResult, spawning[0]!.targets) : []),
      ...(concurrent ? concurrentChecks(concurrent) : []),
      ...(cli ? cliChecks(cli) : []),
      ...(latency ? latencyChecks(latency) : []),
    ];
    const memoryMet = memory?.every((m) => m.bytesAfter === m.bytesBefore);
    out.push("", `Targets met: ${met.filter((c) => c.met).length} of ${met.length} ratio checks`
      + `${memory ? `; memory ${memoryMet ? "flat" : "GREW"}` : ""}.`);
    out.push("", `Machine: ${info.cpu} × ${info.cpus}, ${info.memoryGiB} GiB, ${info.kernel}, Node ${info.node}, koffi ${info.koffi}, `
      + `${info.python ?? "no python3"}, ${info.cc ?? "no cc"}. Load average ${info.loadAverageAtStart} at the start, `
      + `${info.loadAverage} at the end. Run took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    const text = out.join("\n");
    process.stdout.write(`${text}\n`);

    const dir = new URL("bench/results/", ROOT);
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date(started).toISOString().replace(/[:.]/g, "-");
    const json = JSON.stringify({
      date: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, machine: info, quick, sections: [...sections],
      config: { rounds, repMs, memoryOps, latencyChildren, latencyReps, concurrentChildren, cliRuns }, notes,
      operations: opResults, targets: Object.fromEntries(targets),
      spawn: spawnResult, concurrent, cli, latency, trees: trees?.json, floor, layers: layerResults, memory, markdown: text,
    }, null, 1);
    fs.writeFileSync(new URL(`bench-${stamp}.json`, dir), json);
    // latest.json is the reference: a --quick or partial run does not replace it.
    if (!quick && sections.size === SECTIONS.length) fs.writeFileSync(new URL("latest.json", dir), json);
    log(`wrote bench/results/bench-${stamp}.json`);
  } finally {
    await fx.close();
    await Promise.all([...workers, ...(noop ? [noop] : [])].map((w) => w.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
