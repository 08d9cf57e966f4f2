// The CLI's start: wall time of `pidfd info self` (the package's bin, as npm installs it) against
// `node -e 0` (Node's own start) and `require('koffi')` (the floor for a command that makes a
// syscall), each run as a new process, interleaved (turnOrder()), median over the runs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { median, nowNs, roundOrder } from "./harness.js";
import { ROOT } from "./workers.js";

export interface CliCommand {
  label: string;
  argv: string[];
  /** ms per run, in run order. */
  samples: number[];
  median?: number;
  min?: number;
}

export interface CliResult {
  runs: number;
  commands: CliCommand[];
  /** ours / node -e 0, medians. */
  ratio?: number;
}

/** The shipped command: package.json's bin. */
const MAIN = new URL((JSON.parse(fs.readFileSync(new URL("package.json", ROOT), "utf8")) as { bin: { pidfd: string } }).bin.pidfd, ROOT).pathname;

/** The CLI target: `pidfd info self` at most 1.3× `node -e 0`. */
export const CLI_TARGET = 1.3;

/**
 * The order of turn `turn`: blocks of as many turns as there are commands, each block the
 * rotations of one order shuffled for it (harness.ts roundOrder(), the same in every run). Each
 * command runs at each place once per block, and after another neighbour from block to block
 * (a plain rotation kept each after the same one; a plain shuffle favours some places).
 */
function turnOrder(count: number, turn: number): number[] {
  const base = roundOrder(count, Math.floor(turn / count));
  return base.map((_, i) => base[(i + turn) % count]!);
}

/** Runs each command `runs` times, in turns (one of each per turn, turnOrder()), after one untimed warm-up run each. */
export function cliStart(runs: number): CliResult {
  const commands: CliCommand[] = [
    { label: "node -e 0", argv: [process.execPath, "-e", "0"], samples: [] },
    { label: "pidfd info self", argv: [process.execPath, MAIN, "info", "self"], samples: [] },
    { label: "pidfd kill -0 self", argv: [process.execPath, MAIN, "kill", "-0", String(process.pid)], samples: [] },
    { label: "node -e \"require('koffi')\"", argv: [process.execPath, "-e", "require('koffi')"], samples: [] },
  ];
  const once = (command: CliCommand): number => {
    const start = nowNs();
    const out = spawnSync(command.argv[0]!, command.argv.slice(1), { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const ms = (nowNs() - start) / 1e6;
    if (out.status !== 0) throw new Error(`${command.label}: exit ${out.status ?? out.signal}: ${out.stderr.trim()}`);
    return ms;
  };
  for (const command of commands) once(command); // the page cache and Node's compile cache, warm
  for (let run = 0; run < runs; run++) {
    for (const index of turnOrder(commands.length, run)) {
      const command = commands[index]!;
      command.samples.push(once(command));
    }
  }
  for (const command of commands) {
    command.median = median(command.samples);
    command.min = Math.min(...command.samples);
  }
  return { runs, commands, ratio: commands[1]!.median! / commands[0]!.median! };
}

export function cliTable(result: CliResult): string {
  const floor = result.commands[0]!.median!;
  const lines = ["| command | median ms | min ms | / node -e 0 |", "|---|---:|---:|---:|"];
  for (const c of result.commands) {
    lines.push(`| \`${c.label}\` | ${c.median!.toFixed(1)} | ${c.min!.toFixed(1)} | ${(c.median! / floor).toFixed(2)} |`);
  }
  return lines.join("\n");
}

export function cliChecks(result: CliResult): { met: boolean; text: string }[] {
  const met = result.ratio! <= CLI_TARGET;
  return [{ met, text: met ? "CLI ✓" : `CLI ✗ (${result.ratio!.toFixed(2)} vs ≤ ${CLI_TARGET})` }];
}
