// Helpers of the process-tree tests: a tree of shells whose members say who they are, and what
// /proc says about a session.
import fs from "node:fs";
import { spawn, type SpawnOptions, type Subprocess } from "../../host/index.js";
import { procFields } from "../lifecycle/helpers.js";

/** Each member prints "<pid> <ppid>" once it runs, then starts its children (LEAF: none, blocks until killed). */
const LEAF = 'echo $$ $PPID; exec sleep infinity';
const MIDDLE = 'echo $$ $PPID; sh -c "$LEAF" & sh -c "$LEAF" & wait';
const ROOT = 'echo $$ $PPID; sh -c "$MIDDLE" & sh -c "$MIDDLE" & wait';

/** A spawned tree and what its members said: pid -> ppid, every member included. */
export interface SevenTree {
  child: Subprocess;
  parents: Map<number, number>;
}

/**
 * Spawns a tree of seven processes (a root shell, two middle shells, four sleeping leaves) and
 * resolves once all seven have printed their pid and ppid: from then on the tree is exactly
 * these processes (the middle shells and the root only wait).
 */
export async function sevenTree(options: SpawnOptions = {}): Promise<SevenTree> {
  const child = spawn("sh", ["-c", ROOT], { ...options, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LEAF, MIDDLE } });
  return { child, parents: await membersSaid(child, 7) };
}

/** What each child has printed so far, and who waits for more. */
const outputs = new WeakMap<Subprocess, { text: string; used: number; ended: boolean; wake: () => void }>();

/**
 * Resolves with the next `count` "<pid> <ppid>" lines the child prints (each call takes the
 * lines after those of the previous call): pid -> ppid.
 */
export async function membersSaid(child: Subprocess, count: number): Promise<Map<number, number>> {
  let output = outputs.get(child);
  if (!output) {
    const state = { text: "", used: 0, ended: false, wake: () => {} };
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      state.text += chunk;
      state.wake();
    }).on("end", () => {
      state.ended = true;
      state.wake();
    });
    outputs.set(child, (output = state));
  }
  for (;;) {
    const lines = output.text.split("\n").slice(0, -1).filter((line) => /^\d+ \d+$/.test(line)).slice(output.used);
    if (lines.length >= count) {
      output.used += count;
      return new Map(lines.slice(0, count).map((line) => line.split(" ").map(Number) as [number, number]));
    }
    if (output.ended) throw new Error(`the tree's output ended before ${count} more members had started: ${output.text}`);
    await new Promise<void>((resolve) => (output.wake = resolve));
  }
}

/**
 * The pids in session `session` now, from /proc/<n>/stat; zombies (exited, waiting for their
 * reaper) only with `zombies`.
 */
export function sessionMembers(session: number, zombies = false): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procFields(entry);
    if (Number(fields?.[3]) === session && (zombies || fields?.[0] !== "Z")) pids.push(Number(entry));
  }
  return pids;
}
