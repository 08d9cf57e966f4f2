// Helpers of the lifecycle tests: what /proc says about processes, a child's output, scripts in a
// pid namespace of their own, sleeping children, and the poll-handle check.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import { text } from "node:stream/consumers";
import { promisify } from "node:util";
import { PidFd, spawn, type ExitStatus, type Subprocess } from "../../host/index.js";
import { watchedFds } from "../../host/watch.js";

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

/** Resolves with the child's status and everything it wrote to its stdout pipe. */
export async function outputOf(child: Subprocess): Promise<{ status: ExitStatus; out: string }> {
  const [status, out] = await Promise.all([child.exited, text(child.stdout!)]);
  return { status, out };
}

/** A new pid namespace whose PID 1 is the command (killed if unshare dies): whatever it leaves running is killed and reaped with it. */
const UNSHARE = ["--pid", "--fork", "--mount-proc", "--kill-child"];

/**
 * Runs `node script args` as PID 1 of a new pid namespace (root only: unshare --pid), so that
 * every process it starts is killed and reaped when it ends, and resolves with its stdout once it
 * has exited by itself. `bound` ms is only a safety net: the script is killed (and the promise
 * rejects) if it has not exited by then.
 */
export async function runInPidNamespace(script: string, args: readonly string[], bound: number): Promise<string> {
  const { stdout } = await promisify(execFile)("unshare", [...UNSHARE, process.execPath, script, ...args],
    { encoding: "utf8", timeout: bound, killSignal: "SIGKILL" });
  return stdout;
}

/** Fails the test if a poll handle (a watched pidfd) is left after it. */
export function expectNoPollHandles(): void {
  afterEach(() => assert.equal(watchedFds(), 0, "every poll handle is closed after each test"));
}

/** A child of ours (spawn()) that sleeps until killed, with a second PidFd of our own on it. */
export function sleeper(): { child: Subprocess; pidfd: PidFd } {
  const child = spawn("sleep", ["infinity"], { stdio: "ignore" });
  return { child, pidfd: PidFd.open(child.pid) };
}
