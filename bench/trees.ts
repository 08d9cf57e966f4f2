// The process-tree section of the bench, runnable alone (`node dist/bench/trees.js`, or
// `node dist/bench/run.js trees`): PidFd.tree(1) over every process against `ps -eo pid,ppid`
// and against reading /proc/*/stat from Node, in the same run; and killing a tree of 200
// processes with PidFd.killTree() against tree-kill's approach (a ps walk, then process.kill of
// every pid found). Environment: BENCH_TREE_ROUNDS (default 15), BENCH_KILL_REPS (default 5).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { PidFd, spawn, type Subprocess } from "../host/index.js";

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Every (pid, ppid) of /proc/*\/stat, read from Node: what a JavaScript library does today. */
function procStatPairs(): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "latin1");
      pairs.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 4).split(" ", 1)[0]));
    } catch {
      // exited meanwhile
    }
  }
  return pairs;
}

/** Every (pid, ppid) that `ps -A -o pid=,ppid=` prints (tree-kill's walk on Linux). */
function psPairs(): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const line of execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "latin1" }).split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid) pairs.set(pid, ppid!);
  }
  return pairs;
}

/** The descendants of `root` in a pid -> ppid map, root included. */
function descendantsIn(pairs: Map<number, number>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of pairs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

interface Timed {
  medianMs: number;
  minMs: number;
  processes: number;
}

/** Runs each variant `rounds` times, interleaved; ms per call. */
function timeInterleaved(variants: Record<string, () => number>, rounds: number): Record<string, Timed> {
  const samples: Record<string, number[]> = {};
  const counts: Record<string, number> = {};
  for (const name of Object.keys(variants)) variants[name]!(); // warm up
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      const start = process.hrtime.bigint();
      counts[name] = run();
      (samples[name] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, ms]) =>
    [name, { medianMs: median(ms), minMs: Math.min(...ms), processes: counts[name]! }]));
}

const WIDTH = 10;
const LEAVES = 19;
/** A tree of 1 + WIDTH + WIDTH * LEAVES = 201 processes: a root shell, 10 shells, 19 sleeps under each. */
const TREE_SCRIPT = `for i in $(seq ${WIDTH}); do sh -c 'for j in $(seq ${LEAVES}); do sleep infinity & done; wait' & done; wait`;
const TREE_SIZE = 1 + WIDTH + WIDTH * LEAVES;

/** Spawns the 201-process tree (its own session) and resolves once all its members run. */
async function bigTree(): Promise<Subprocess> {
  const child = spawn("sh", ["-c", TREE_SCRIPT], { stdio: "ignore", detached: true });
  while (sessionSize(child.pid, false) < TREE_SIZE) await new Promise((resolve) => setTimeout(resolve, 5));
  return child;
}

/** The members of session `session` (zombies only if `zombies`). */
function sessionSize(session: number, zombies: boolean): number {
  let n = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "latin1");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === session && (zombies || fields[0] !== "Z")) n++;
    } catch {
      // exited
    }
  }
  return n;
}

interface KillRun {
  /** Until the call returned. */
  ms: number;
  /** Until no member ran any more (ours: the same, killTree waits for each exit). */
  allExitedMs: number;
  killed: number;
  survivors: number;
}

async function killOurs(): Promise<KillRun> {
  const child = await bigTree();
  const start = process.hrtime.bigint();
  const results = await child.pidfd.killTree({ signal: "SIGKILL" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await child.exited;
  const survivors = sessionSize(child.pid, false);
  return { ms, allExitedMs: ms, killed: results.filter((r) => r.exited).length, survivors };
}

async function signalOurs(): Promise<KillRun> {
  const child = await bigTree();
  const start = process.hrtime.bigint();
  const results = child.pidfd.signalTree("SIGKILL");
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  while (sessionSize(child.pid, false) > 0) await new Promise((resolve) => setImmediate(resolve));
  const allExitedMs = Number(process.hrtime.bigint() - start) / 1e6;
  await child.exited;
  return { ms, allExitedMs, killed: results.length, survivors: sessionSize(child.pid, false) };
}

async function killTreeKillStyle(): Promise<KillRun> {
  const child = await bigTree();
  const start = process.hrtime.bigint();
  const pids = descendantsIn(psPairs(), child.pid);
  let killed = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL"); // by pid: whatever process holds the pid now
      killed++;
    } catch {
      // gone
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  while (sessionSize(child.pid, false) > 0) await new Promise((resolve) => setImmediate(resolve));
  const allExitedMs = Number(process.hrtime.bigint() - start) / 1e6;
  await child.exited;
  return { ms, allExitedMs, killed, survivors: sessionSize(child.pid, false) };
}

/** Measures the section; resolves with its Markdown and JSON. */
export async function treeSection(log: (line: string) => void = () => {}, quick = false): Promise<{ markdown: string; json: unknown }> {
  const rounds = intEnv("BENCH_TREE_ROUNDS", quick ? 5 : 15);
  const reps = intEnv("BENCH_KILL_REPS", quick ? 2 : 5);
  log(`trees: PidFd.tree(1) against ps and /proc/*/stat, ${rounds} interleaved rounds`);
  const walk = timeInterleaved({
    "PidFd.tree(1)": () => {
      using tree = PidFd.tree(1);
      return tree.nodes.length;
    },
    "ps -eo pid,ppid": () => psPairs().size,
    "/proc/*/stat from Node": () => procStatPairs().size,
  }, rounds);
  log(`trees: killing a ${TREE_SIZE}-process tree, ${reps} times each way`);
  const ours: KillRun[] = [];
  const signalled: KillRun[] = [];
  const theirs: KillRun[] = [];
  for (let rep = 0; rep < reps; rep++) {
    ours.push(await killOurs());
    signalled.push(await signalOurs());
    theirs.push(await killTreeKillStyle());
  }
  const summary = (runs: KillRun[]) => ({
    medianMs: median(runs.map((r) => r.ms)),
    allExitedMedianMs: median(runs.map((r) => r.allExitedMs)),
    killed: runs.map((r) => r.killed),
    survivors: runs.map((r) => r.survivors),
  });
  const kill = {
    "PidFd.killTree()": summary(ours),
    "PidFd.signalTree() (no wait)": summary(signalled),
    "tree-kill's approach (ps walk + process.kill)": summary(theirs),
  };
  const f = (ms: number): string => ms.toFixed(2);
  const markdown = [
    `## Process trees (${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`,
    "",
    `Walking every process: median and best ms per call over ${rounds} interleaved rounds (PidFd.tree(1) opens, verifies and holds a pidfd per process, with its id; kernel threads are not under init)`,
    "",
    "| variant | processes | median ms | min ms |",
    "|---|---:|---:|---:|",
    ...Object.entries(walk).map(([name, t]) => `| ${name} | ${t.processes} | ${f(t.medianMs)} | ${f(t.minMs)} |`),
    "",
    `Killing a tree of ${TREE_SIZE} processes with SIGKILL: median ms over ${reps} runs`,
    "",
    "| variant | until it returns | until every member exited | members killed | survivors |",
    "|---|---:|---:|---|---|",
    ...Object.entries(kill).map(([name, k]) =>
      `| ${name} | ${f(k.medianMs)} | ${f(k.allExitedMedianMs)} | ${k.killed.join(", ")} | ${k.survivors.join(", ")} |`),
    "",
    "PidFd.killTree() returns once every member has exited (each waited for through its pidfd); PidFd.signalTree() and tree-kill's"
      + " approach return once they have sent their signals (signalTree through verified pidfds, the other by pid, to whatever holds"
      + " each pid at that moment); their \"every member exited\" is seen by scanning /proc.",
  ].join("\n");
  return { markdown, json: { rounds, reps, treeSize: TREE_SIZE, walk, kill } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdown, json } = await treeSection((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${markdown}\n`);
  const dir = new URL("../../bench/results/", import.meta.url);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(new URL("trees-latest.json", dir), JSON.stringify({ date: new Date().toISOString(), ...json as object, markdown }, null, 1));
}
