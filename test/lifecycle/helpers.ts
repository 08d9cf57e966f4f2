// Helpers of the lifecycle tests: what /proc says about processes.
import fs from "node:fs";

/** The fields of /proc/<pid>/stat after the command name (state, ppid, pgrp, session, ...), or null once gone. */
export function procFields(pid: number | string): string[] | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The state letter of a process ("Z" for a zombie), or null once it is gone. */
export function procState(pid: number): string | null {
  return procFields(pid)?.[0] ?? null;
}

/** Our children that are zombies now (state Z, ppid = us). */
export function zombieChildren(): number[] {
  const zombies: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procFields(entry);
    if (fields?.[0] === "Z" && Number(fields[1]) === process.pid) zombies.push(Number(entry));
  }
  return zombies;
}

/** Whether `pid` is a child of ours right now (running or a zombie): false once reaped. */
export function isOurChild(pid: number): boolean {
  return Number(procFields(pid)?.[1]) === process.pid;
}

/** The children of `pid` (every thread's /proc/<pid>/task/<tid>/children), or [] once it is gone. */
export function childrenOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "latin1").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}
