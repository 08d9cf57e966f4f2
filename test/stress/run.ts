// `npm run test:stress`: runs the process tests (test/lifecycle, cli, host, api) STRESS_RUNS times
// (default 10) while one busy-looping process per core keeps the machine loaded. Each run is a
// mocha child process of its own, in its own process group, so that a crash or a hang fails that
// run and not the others. This process is a child subreaper (PR_SET_CHILD_SUBREAPER): whatever a
// run leaves behind is reparented here instead of to PID 1, is reported as a failure of that run,
// and is killed and reaped. Prints one line per run, the failing tests, and on the last line
// "N passed, N failed" summed over all runs; a run cut short because this runner was stopped by
// a signal is reported as interrupted, not as a failure (exit status 128 + the signal). Exit
// status 1 if anything failed. Compiled test
// files given as arguments replace the default set. test/trees is not in it: killing a tree
// orphans its members to their reaper (here, this process), which is how trees die, not a leak;
// the tree tests check themselves that nothing survives.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DIST_TEST = path.join(ROOT, "dist", "test");
const PROCESS_TEST_DIRS = ["lifecycle", "cli", "host", "api"];
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");

interface RunResult {
  passed: number;
  failed: number;
  skipped: number;
  ms: number;
  /** "<full test title>: <error message on one line>", and what went wrong with the run itself. */
  failures: string[];
  /**
   * Where the run was when a signal stopped this runner from outside (`timeout`, Ctrl-C) and its
   * mocha was killed before its end: an unfinished run, which no test failed.
   */
  interrupted?: string;
  /** Everything the run wrote, for the log of a failed run. */
  output: string;
}

/** STRESS_RUNS as a positive integer (default 10). */
function stressRuns(): number {
  const value = process.env.STRESS_RUNS ?? "10";
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`STRESS_RUNS must be a positive integer, not '${value}'`);
  return Number(value);
}

/** The files given as arguments, else the compiled test files of the process-related directories, sorted. */
function testFiles(): string[] {
  if (process.argv.length > 2) return process.argv.slice(2).map((file) => path.resolve(file));
  const files = PROCESS_TEST_DIRS.flatMap((dir) =>
    fs.readdirSync(path.join(DIST_TEST, dir), { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".test.js"))
      .map((name) => path.join(DIST_TEST, dir, name)));
  if (files.length === 0) throw new Error(`no test files under ${DIST_TEST}: run 'npm run build' first`);
  return files.sort();
}

/**
 * Mocha's options from .mocharc.json except its spec (the files are given explicitly) and its
 * reporter (json-stream, which this runner reads), with the config file itself turned off.
 */
function mochaOptions(): string[] {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as Record<string, unknown>;
  const options = ["--no-config", "--reporter", "json-stream"];
  for (const [key, value] of Object.entries(config)) {
    if (key === "spec" || key === "reporter") continue;
    if (value === true) options.push(`--${key}`);
    else for (const item of [value].flat()) options.push(`--${key}`, String(item));
  }
  return options;
}

type Fn = (...args: unknown[]) => number;
let libc: { prctl: Fn; waitid: Fn } | undefined;
function bindLibc(): { prctl: Fn; waitid: Fn } {
  if (libc) return libc;
  const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
  const lib = koffi.load("libc.so.6");
  libc = {
    prctl: lib.func("int prctl(int option, ...)") as Fn,
    waitid: lib.func("int waitid(int idtype, unsigned int id, void *infop, int options)") as Fn,
  };
  return libc;
}

const PR_SET_CHILD_SUBREAPER = 36;
const P_PID = 1, WEXITED = 4;

/** Makes this process the reaper of its orphaned descendants (prctl PR_SET_CHILD_SUBREAPER, Linux 3.4). */
function becomeSubreaper(): void {
  if (bindLibc().prctl(PR_SET_CHILD_SUBREAPER, "unsigned long", 1, "unsigned long", 0, "unsigned long", 0, "unsigned long", 0) !== 0) {
    throw new Error("prctl(PR_SET_CHILD_SUBREAPER) failed");
  }
}

/** Our children that Node does not know of (reparented orphans), with their name and state. */
function strayChildren(known: ReadonlySet<number>): { pid: number; description: string }[] {
  const strays: { pid: number; description: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || known.has(Number(entry))) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "latin1");
    } catch {
      continue; // gone meanwhile: not one of ours, ours are only gone once we reap them
    }
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(ppid) !== process.pid) continue;
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const command = fs.readFileSync(`/proc/${entry}/cmdline`, "latin1").split("\0").join(" ").trim();
    strays.push({ pid: Number(entry), description: `${command || name} (state ${state})` });
  }
  return strays;
}

/**
 * Kills and reaps every stray child, then the ones their deaths reparent here (an orphan is
 * reparented before it can be reaped, so none is missed). Returns the first round, what the run
 * left behind.
 */
function reapStrays(known: ReadonlySet<number>): string[] {
  const leftBehind = strayChildren(known).map((stray) => stray.description);
  for (let strays = strayChildren(known); strays.length > 0; strays = strayChildren(known)) {
    for (const { pid } of strays) {
      process.kill(pid, "SIGKILL"); // unreaped, so the pid is still this process's child
      if (bindLibc().waitid(P_PID, pid, new Uint8Array(128), WEXITED) !== 0) throw new Error(`waitid(P_PID, ${pid}) failed`);
    }
  }
  return leftBehind;
}

/** One busy-looping node process per core, started and running. */
async function startBurners(): Promise<ChildProcess[]> {
  const burners = Array.from({ length: os.availableParallelism() }, () =>
    spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }));
  await Promise.all(burners.map((burner) => once(burner, "spawn")));
  return burners;
}

/** Kills the burners and waits until Node has reaped them. */
async function stopBurners(burners: ChildProcess[]): Promise<void> {
  await Promise.all(burners.map(async (burner) => {
    if (burner.exitCode !== null || burner.signalCode !== null) return;
    const exit = once(burner, "exit");
    burner.kill("SIGKILL");
    await exit;
  }));
}

/** Parses one line of mocha's json-stream reporter: [event, data], or null for other output. */
function streamEvent(line: string): [string, Record<string, unknown>] | null {
  const start = line.search(/\["(start|pass|fail|end)",\{/);
  if (start < 0) return null;
  try {
    return JSON.parse(line.slice(start)) as [string, Record<string, unknown>];
  } catch {
    return null;
  }
}

/** The mocha child process of the run under way, for the signal handlers. */
let currentRun: ChildProcess | undefined;
/** What stopped the runs: a signal, or an uncaught error. */
let aborted: NodeJS.Signals | Error | undefined;

/** SIGKILLs the process group of the run under way, if there is one. */
function killCurrentRun(): void {
  if (!currentRun) return;
  try {
    process.kill(-currentRun.pid!, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * Runs mocha once on `files`, in a process group of its own; once it has exited, kills and
 * reaps what it left behind (which may hold its stdout open) and, unless the run was aborted,
 * counts that as a failure.
 */
async function runOnce(files: string[], options: string[], known: ReadonlySet<number>): Promise<RunResult> {
  const started = performance.now();
  const mocha = spawn(process.execPath, [MOCHA, ...options, ...files], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
  currentRun = mocha;
  const result: RunResult = { passed: 0, failed: 0, skipped: 0, ms: 0, failures: [], output: "" };
  let ended = false;
  let lastPassed = "(none yet)";
  mocha.stderr!.setEncoding("utf8").on("data", (chunk: string) => (result.output += chunk));
  const lines = createInterface({ input: mocha.stdout! });
  lines.on("line", (line) => {
    result.output += `${line}\n`;
    const event = streamEvent(line);
    if (event?.[0] === "pass") {
      result.passed++;
      lastPassed = String(event[1].fullTitle);
    }
    if (event?.[0] === "fail") {
      result.failed++;
      const message = String(event[1].err).split("\n").map((part) => part.trim()).filter(Boolean).join(" ");
      result.failures.push(`${String(event[1].fullTitle)}: ${message.length > 240 ? `${message.slice(0, 240)}...` : message}`);
    }
    if (event?.[0] === "end") {
      ended = true;
      result.skipped = Number(event[1].pending ?? 0);
    }
  });
  const linesClosed = once(lines, "close");
  const [code, signal] = (await once(mocha, "exit")) as [number | null, NodeJS.Signals | null];
  // Killed by this runner (SIGKILL to its group) because a signal stopped the runner, as known
  // when mocha exited: a mocha that crashed by itself, even just before such a signal, is a failure.
  const stoppedBy = typeof aborted === "string" && signal === "SIGKILL" ? aborted : undefined;
  currentRun = undefined;
  result.ms = Math.round(performance.now() - started);
  const leftBehind = reapStrays(known);
  await linesClosed;
  if (!ended && stoppedBy) {
    // Not a failure of any test, but no pass of the run either; it says where it was, so that it
    // can be told from a test that hangs.
    result.interrupted = `interrupted after ${result.ms} ms (its mocha killed as the runner was stopped by ${stoppedBy}); the last test passed: ${lastPassed}`;
  } else if (!ended || (code !== 0 && result.failed === 0)) {
    result.failed++;
    result.failures.push(`the run itself: mocha exited with ${signal ?? `code ${code}`}${ended ? "" : " before its end"}`);
  }
  if (leftBehind.length > 0 && !aborted) {
    result.failed++;
    result.failures.push(`the run itself: left ${leftBehind.length} processes behind: ${leftBehind.join(", ")}`);
  }
  return result;
}

async function main(): Promise<number> {
  const runs = stressRuns();
  const files = testFiles();
  const options = mochaOptions();
  becomeSubreaper();
  const burners = await startBurners();
  const known = new Set(burners.map((burner) => burner.pid!));
  // A signal or an uncaught error stops the run under way (its whole process group) and the
  // loop; the cleanup below then reaps everything.
  const abort = (reason: NodeJS.Signals | Error): void => {
    aborted ??= reason;
    killCurrentRun();
  };
  process.on("SIGINT", abort);
  process.on("SIGTERM", abort);
  process.on("uncaughtException", abort);
  process.on("unhandledRejection", (reason) => abort(reason instanceof Error ? reason : new Error(String(reason))));
  process.on("exit", () => {
    // Last resort if the cleanup below could not run: nothing is left running.
    killCurrentRun();
    for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill("SIGKILL");
  });

  const totals = { passed: 0, failed: 0, skipped: 0, interrupted: 0 };
  const failing = new Map<string, number[]>();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-stress-"));
  console.log(`stress: ${runs} runs of ${files.length} test files, ${burners.length} CPU burners`);
  try {
    for (let run = 1; run <= runs && !aborted; run++) {
      const result = await runOnce(files, options, known);
      totals.passed += result.passed;
      totals.failed += result.failed;
      totals.skipped += result.skipped;
      if (result.interrupted) totals.interrupted++;
      let line = `run ${run}: ${result.passed} passed, ${result.failed} failed, ${result.interrupted ?? `${result.ms} ms`}`;
      if (result.failed > 0) {
        const log = path.join(logDir, `run-${run}.log`);
        fs.writeFileSync(log, result.output);
        line += ` (output in ${log})`;
      }
      console.log(line);
      for (const failure of result.failures) {
        console.log(`  ${failure}`);
        failing.set(failure, [...(failing.get(failure) ?? []), run]);
      }
    }
  } finally {
    if (currentRun && currentRun.exitCode === null && currentRun.signalCode === null) {
      const exit = once(currentRun, "exit");
      killCurrentRun();
      await exit;
    }
    reapStrays(known);
    await stopBurners(burners);
  }
  if (failing.size > 0) {
    console.log("failing tests (runs):");
    for (const [failure, inRuns] of failing) console.log(`  [${inRuns.join(", ")}] ${failure}`);
  } else {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
  if (aborted instanceof Error) console.log(`stopped by an error: ${aborted.stack}`);
  else if (aborted) console.log(`stopped by ${aborted}`);
  const unfinished = totals.interrupted ? `; ${totals.interrupted} run interrupted before its end, not a result` : "";
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}${unfinished}`);
  if (typeof aborted === "string") return 128 + os.constants.signals[aborted];
  return totals.failed > 0 || aborted ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
