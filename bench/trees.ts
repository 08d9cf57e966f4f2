// The process-tree section of the bench, runnable alone (`node dist/bench/trees.js`, or
// `node dist/bench/run.js trees`), every comparison in the same run: finding a tree of 201
// processes with PidFd.tree() against `ps -A -o pid=,ppid=` and against reading /proc/*/stat from
// Node (each answer checked against the tree's members); init's tree, PidFd.tree(1), the same
// ways; walking every process of the machine (per process); and killing the tree with PidFd.killTree() against tree-kill's approach (a ps
// walk, then process.kill of every pid found). Environment: BENCH_TREE_ROUNDS (default 15), BENCH_KILL_REPS (default 5).
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

/** The ppid in a /proc/<n>/stat line ("pid (comm) state ppid ..."). */
function ppidOf(stat: string): number {
  const after = stat.lastIndexOf(")") + 4; // ") S "
  return Number(stat.slice(after, stat.indexOf(" ", after)));
}

/** Every (pid, ppid) of /proc/*\/stat, each read with fs.readFileSync: what a JavaScript library does today. */
function procStatPairs(): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    try {
      pairs.set(Number(entry), ppidOf(fs.readFileSync(`/proc/${entry}/stat`, "utf8")));
    } catch {
      // exited meanwhile
    }
  }
  return pairs;
}

const statBuffer = Buffer.allocUnsafe(4096);

/** The same, each file read into one reused buffer (open, read, close): the cheapest plain-Node way. */
function procStatPairsBuffered(): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let fd: number;
    try {
      fd = fs.openSync(`/proc/${entry}/stat`, "r");
    } catch {
      continue; // exited meanwhile
    }
    try {
      pairs.set(Number(entry), ppidOf(statBuffer.toString("latin1", 0, fs.readSync(fd, statBuffer, 0, statBuffer.length, 0))));
    } catch {
      // exited meanwhile
    } finally {
      fs.closeSync(fd);
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
  for (const [pid, ppid] of pairs) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

/** The pids of PidFd.tree(root) for each root, its pidfds closed again. */
function treePids(roots: readonly number[]): number[] {
  const pids: number[] = [];
  for (const root of roots) {
    try {
      using tree = PidFd.tree(root);
      for (const node of tree.nodes) pids.push(node.pid);
    } catch {
      // a root that exited meanwhile
    }
  }
  return pids;
}

interface Timed {
  medianMs: number;
  minMs: number;
  /** Processes found in the last round. */
  processes: number;
  /** Rounds whose answer was exactly the truth (when one was given). */
  exactRounds?: number;
  rounds: number;
}

/** Runs each variant `rounds` times, interleaved; ms per call, and each answer compared with `truth` if given. */
function timeInterleaved(variants: Record<string, () => number[]>, rounds: number, truth?: readonly number[]): Record<string, Timed> {
  const samples: Record<string, number[]> = {};
  const counts: Record<string, number> = {};
  const exact: Record<string, number> = {};
  const expected = truth && [...truth].sort((a, b) => a - b).join(" ");
  for (const name of Object.keys(variants)) variants[name]!(); // warm up
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      const start = process.hrtime.bigint();
      const pids = run();
      (samples[name] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
      counts[name] = pids.length;
      if (expected !== undefined && [...pids].sort((a, b) => a - b).join(" ") === expected) exact[name] = (exact[name] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, {
    medianMs: median(ms), minMs: Math.min(...ms), processes: counts[name]!, rounds,
    ...(expected !== undefined ? { exactRounds: exact[name] ?? 0 } : {}),
  }]));
}

const WIDTH = 10;
const LEAVES = 19;
/** A tree of 1 + WIDTH + WIDTH * LEAVES = 201 processes: a root shell, 10 shells, 19 sleeps under each. */
const TREE_SCRIPT = `for i in $(seq ${WIDTH}); do sh -c 'for j in $(seq ${LEAVES}); do sleep infinity & done; wait' & done; wait`;
const TREE_SIZE = 1 + WIDTH + WIDTH * LEAVES;

/** Spawns the 201-process tree (its own session) and resolves once all its members run: then they only wait. */
async function bigTree(): Promise<Subprocess> {
  const child = spawn("sh", ["-c", TREE_SCRIPT], { stdio: "ignore", detached: true });
  while (sessionMembers(child.pid).length < TREE_SIZE) await new Promise((resolve) => setTimeout(resolve, 5));
  return child;
}

/** The pids of session `session` that have not exited (zombies too if `zombies`): the tree's members, the truth each method is held to. */
function sessionMembers(session: number, zombies = false): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "latin1");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === session && (zombies || fields[0] !== "Z")) pids.push(Number(entry));
    } catch {
      // exited
    }
  }
  return pids;
}

interface KillRun {
  /** Until the call returned. */
  ms: number;
  /** Until every member had exited, as a pidfd of each opened beforehand (epoll) saw it. */
  allExitedMs: number;
  /** Whether the processes it signalled were exactly the tree's members. */
  exact: boolean;
  survivors: number;
}

/** Spawns the tree, opens a pidfd of each member (the observer), runs `kill`, and times it and every member's exit. */
async function timeKill(kill: (child: Subprocess) => Promise<number[]> | number[]): Promise<KillRun> {
  const child = await bigTree();
  const truth = sessionMembers(child.pid);
  const observers = truth.map((pid) => PidFd.open(pid));
  try {
    const start = process.hrtime.bigint();
    let returned = 0n;
    const exits = Promise.all(observers.map((pidfd) => pidfd.waitAsync({ reapGrace: 0 })));
    const hit = await kill(child);
    returned = process.hrtime.bigint();
    await exits;
    const ended = process.hrtime.bigint();
    await child.exited;
    const exact = [...hit].sort((a, b) => a - b).join(" ") === [...truth].sort((a, b) => a - b).join(" ");
    return { ms: Number(returned - start) / 1e6, allExitedMs: Number(ended - start) / 1e6, exact, survivors: sessionMembers(child.pid).length };
  } finally {
    for (const pidfd of observers) pidfd.close();
  }
}

/** tree-kill's approach: the ps walk, then process.kill of every pid found, by pid. */
function treeKillStyle(child: Subprocess): number[] {
  const hit: number[] = [];
  for (const pid of descendantsIn(psPairs(), child.pid)) {
    try {
      process.kill(pid, "SIGKILL"); // by pid: whatever process holds the pid now
      hit.push(pid);
    } catch {
      // gone
    }
  }
  return hit;
}

/** Measures the section; resolves with its Markdown and JSON. */
export async function treeSection(log: (line: string) => void = () => {}, quick = false): Promise<{ markdown: string; json: unknown }> {
  const rounds = intEnv("BENCH_TREE_ROUNDS", quick ? 5 : 15);
  const reps = intEnv("BENCH_KILL_REPS", quick ? 2 : 5);
  const f = (ms: number): string => ms.toFixed(2);
  const us = (ms: number, n: number): string => (ms * 1000 / n).toFixed(1);

  log(`trees: walking a ${TREE_SIZE}-process tree four ways, ${rounds} interleaved rounds`);
  const child = await bigTree();
  let subtree: Record<string, Timed>;
  try {
    const truth = sessionMembers(child.pid);
    subtree = timeInterleaved({
      "PidFd.tree(root)": () => treePids([child.pid]),
      "ps -A -o pid=,ppid=": () => descendantsIn(psPairs(), child.pid),
      "/proc/*/stat, readFileSync": () => descendantsIn(procStatPairs(), child.pid),
      "/proc/*/stat, one reused buffer": () => descendantsIn(procStatPairsBuffered(), child.pid),
    }, rounds, truth);
    if (sessionMembers(child.pid).length !== truth.length) throw new Error("the tree changed while it was walked");
  } finally {
    child.pidfd.signalTree("SIGKILL");
    await child.exited;
    // The machine's walk below must not meet the tree's members still dying or waiting for init's reap.
    while (sessionMembers(child.pid, true).length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  log(`trees: init's tree and every process, ${rounds} interleaved rounds`);
  const init = timeInterleaved({
    "PidFd.tree(1)": () => treePids([1]),
    "ps -A -o pid=,ppid=": () => descendantsIn(psPairs(), 1),
    "/proc/*/stat, readFileSync": () => descendantsIn(procStatPairs(), 1),
    "/proc/*/stat, one reused buffer": () => descendantsIn(procStatPairsBuffered(), 1),
  }, rounds);
  const roots = [...procStatPairs()].filter(([, ppid]) => ppid === 0).map(([pid]) => pid);
  const machine = timeInterleaved({
    [`PidFd.tree() of ${roots.join(", ")}`]: () => treePids(roots),
    "ps -A -o pid=,ppid=": () => [...psPairs().keys()],
    "/proc/*/stat, readFileSync": () => [...procStatPairs().keys()],
    "/proc/*/stat, one reused buffer": () => [...procStatPairsBuffered().keys()],
  }, rounds);

  log(`trees: killing a ${TREE_SIZE}-process tree, ${reps} times each way`);
  const runs: Record<string, KillRun[]> = {
    "PidFd.killTree()": [], "PidFd.signalTree() (no wait)": [], "tree-kill's approach (ps walk + process.kill)": [],
  };
  for (let rep = 0; rep < reps; rep++) {
    runs["PidFd.killTree()"]!.push(await timeKill(async (c) => (await c.pidfd.killTree({ signal: "SIGKILL" })).map((r) => r.pid)));
    runs["PidFd.signalTree() (no wait)"]!.push(await timeKill((c) => c.pidfd.signalTree("SIGKILL").map((r) => r.pid)));
    runs["tree-kill's approach (ps walk + process.kill)"]!.push(await timeKill(treeKillStyle));
  }
  const kill = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, {
    medianMs: median(list.map((r) => r.ms)),
    allExitedMedianMs: median(list.map((r) => r.allExitedMs)),
    exactRuns: list.filter((r) => r.exact).length,
    survivors: list.map((r) => r.survivors),
  }]));

  const ours = subtree["PidFd.tree(root)"]!;
  const oursMachine = Object.values(machine)[0]!;
  const oursInit = init["PidFd.tree(1)"]!;
  const machineSize = Object.values(machine)[2]!.processes;
  const ourKill = kill["PidFd.killTree()"]!;
  const markdown = [
    `## Process trees (${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`,
    "",
    `Finding a tree of ${TREE_SIZE} processes (its own session; each answer checked against the session's members): median and best ms over ${rounds} interleaved rounds. ps and /proc/*/stat must read every process of the machine to find one tree; PidFd.tree() reads the tree's own, and opens, verifies and holds a pidfd of each, with its id`,
    "",
    "| variant | processes | exact rounds | median ms | min ms | ours / it |",
    "|---|---:|---:|---:|---:|---:|",
    ...Object.entries(subtree).map(([name, t]) =>
      `| ${name} | ${t.processes} | ${t.exactRounds}/${t.rounds} | ${f(t.medianMs)} | ${f(t.minMs)} | ${(ours.medianMs / t.medianMs).toFixed(2)} |`),
    "",
    `Init's tree, PidFd.tree(1) (one scan of /proc: a root of ppid 0), against the descendants of pid 1 in what ps and /proc/*/stat give for every process (${machineSize} listed): median and best ms over ${rounds} interleaved rounds`,
    "",
    "| variant | processes | median ms | min ms | ours / it |",
    "|---|---:|---:|---:|---:|",
    ...Object.entries(init).map(([name, t]) =>
      `| ${name} | ${t.processes} | ${f(t.medianMs)} | ${f(t.minMs)} | ${(oursInit.medianMs / t.medianMs).toFixed(2)} |`),
    "",
    `Walking every process of the machine (PidFd.tree() from each process whose parent is outside our pid namespace, ppid 0): µs per process from the medians`,
    "",
    "| variant | processes | median ms | min ms | µs per process | ours / it (per process) |",
    "|---|---:|---:|---:|---:|---:|",
    ...Object.entries(machine).map(([name, t]) =>
      `| ${name} | ${t.processes} | ${f(t.medianMs)} | ${f(t.minMs)} | ${us(t.medianMs, t.processes)} | ${((oursMachine.medianMs / oursMachine.processes) / (t.medianMs / t.processes)).toFixed(2)} |`),
    "",
    `Killing a tree of ${TREE_SIZE} processes with SIGKILL: median ms over ${reps} runs; "every member exited" as a pidfd of each, opened beforehand, saw it (epoll)`,
    "",
    "| variant | until it returns | until every member exited | exact runs | survivors | ours / it (every member exited) |",
    "|---|---:|---:|---:|---|---:|",
    ...Object.entries(kill).map(([name, k]) =>
      `| ${name} | ${f(k.medianMs)} | ${f(k.allExitedMedianMs)} | ${k.exactRuns}/${reps} | ${k.survivors.join(", ")} | ${(ourKill.allExitedMedianMs / k.allExitedMedianMs).toFixed(2)} |`),
    "",
    "PidFd.killTree() returns once every member has exited (each waited for through its pidfd); PidFd.signalTree() and tree-kill's"
      + " approach return once they have sent their signals (signalTree through verified pidfds, the other by pid, to whatever holds"
      + " each pid at that moment). \"Exact\": the processes signalled were the tree's members, no more, no fewer.",
  ].join("\n");
  return { markdown, json: { rounds, reps, treeSize: TREE_SIZE, roots, subtree, init, machine, kill } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdown, json } = await treeSection((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${markdown}\n`);
  const dir = new URL("../../bench/results/", import.meta.url);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(new URL("trees-latest.json", dir), JSON.stringify({ date: new Date().toISOString(), ...json as object, markdown }, null, 1));
}
