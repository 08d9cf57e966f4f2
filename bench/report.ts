// Tables (Markdown, so a run's output can go into docs/performance.md as it is).
import { median, medianOf, type GroupResult } from "./harness.js";
import type { LatencyResult } from "./lifecycle.js";
import type { MemoryResult } from "./memory.js";
import type { Targets } from "./ops.js";

export const COMPARED = ["C", "Python", "Node", "koffi"] as const;

function ns(value: number | undefined): string {
  if (value === undefined) return "—";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

function ratio(ours: number | undefined, other: number | undefined): string {
  return ours === undefined || other === undefined ? "—" : (ours / other).toFixed(2);
}

/** ours / system against a target: "✓" or "✗ 1.42 > 1.3" (Python's bound is strict). */
export function targetCheck(group: GroupResult, targets: Targets): { met: boolean; text: string }[] {
  const ours = medianOf(group, "ours");
  const checks: { met: boolean; text: string }[] = [];
  for (const [system, bound] of Object.entries(targets) as [keyof Targets, number][]) {
    const other = medianOf(group, system);
    if (ours === undefined || other === undefined) continue;
    const r = ours / other;
    const met = system === "Python" ? r < bound : r <= bound;
    const short = system === "Python" ? "Py" : system;
    checks.push({ met, text: met ? `${short} ✓` : `${short} ✗ (${r.toFixed(2)} vs ${system === "Python" ? "<" : "≤"} ${bound})` });
  }
  return checks;
}

export function operationsTable(groups: GroupResult[], targets: Map<string, Targets>): string {
  const lines = [
    "| operation | ours | no-op | C | Python | Node | koffi | ours/C | ours/Py | ours/Node | ours/koffi | targets |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const group of groups) {
    const ours = medianOf(group, "ours");
    const cells = COMPARED.map((system) => ns(medianOf(group, system)));
    const ratios = COMPARED.map((system) => ratio(ours, medianOf(group, system)));
    const checks = targetCheck(group, targets.get(group.id) ?? {}).map((c) => c.text).join(" · ");
    lines.push(`| ${group.label} | ${ns(ours)} | ${ns(medianOf(group, "no-op"))} | ${cells.join(" | ")} | ${ratios.join(" | ")} | ${checks || "—"} |`);
  }
  return lines.join("\n");
}

/** Layers as rows, one column per operation, with the cost each layer adds to the one before. */
export function layersTable(groups: GroupResult[], layers: readonly string[]): string {
  const header = `| layer | ${groups.map((g) => `${g.label.replace(" by layer", "")} ns | + ns`).join(" | ")} |`;
  const lines = [header, `|---|${groups.map(() => "---:|---:").join("|")}|`];
  for (const [index, layer] of layers.entries()) {
    const cells = groups.map((group) => {
      const value = medianOf(group, layer);
      // as-bind is a sibling of "core", not a layer on top of it; "public" sits on "core".
      const below = layer === "public" ? "core" : layer === "as-bind" ? "core" : layers[index - 1];
      const base = below === undefined ? undefined : medianOf(group, below);
      const delta = value === undefined || base === undefined ? "" : `${value - base >= 0 ? "+" : ""}${Math.round(value - base)}`;
      return `${ns(value)} | ${delta}`;
    });
    lines.push(`| ${layer} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

export function floorTable(group: GroupResult): string {
  return [
    "| getpid() | " + group.variants.map((v) => v.system).join(" | ") + " |",
    "|---|" + group.variants.map(() => "---:").join("|") + "|",
    "| ns | " + group.variants.map((v) => ns(v.stats?.median)).join(" | ") + " |",
  ].join("\n");
}

export function memoryTable(results: MemoryResult[]): string {
  const lines = ["| core | operations | memory before | memory after | grew | seconds |", "|---|---:|---:|---:|---|---:|"];
  for (const r of results) {
    lines.push(`| ${r.core} | ${r.operations.toLocaleString("en-US")} | ${r.bytesBefore.toLocaleString("en-US")} B | `
      + `${r.bytesAfter.toLocaleString("en-US")} B | ${r.bytesAfter > r.bytesBefore ? "**yes**" : "no"} | ${r.seconds.toFixed(1)} |`);
  }
  return lines.join("\n");
}

/** Variants that did not run, and why. */
export function skippedList(groups: GroupResult[]): string {
  const lines: string[] = [];
  for (const group of groups) {
    for (const v of group.variants) if (v.skipped) lines.push(`- ${group.label}, ${v.system}: ${v.skipped}`);
  }
  return lines.join("\n");
}

function us(value: number | undefined): string {
  return value === undefined ? "—" : Math.round(value / 1000).toLocaleString("en-US");
}

/** The spawn → exit group, in µs per child. */
export function spawnTable(group: GroupResult, targets: Targets): string {
  const systems = ["C", "Python", "Node", "koffi"] as const;
  const ours = medianOf(group, "ours");
  const lines = [
    "| operation | ours µs | C µs | Python µs | Node µs | koffi µs | ours/C | ours/Py | ours/Node | ours/koffi | targets |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    `| ${group.label} | ${us(ours)} | ${systems.map((s) => us(medianOf(group, s))).join(" | ")} | `
      + `${systems.map((s) => ratio(ours, medianOf(group, s))).join(" | ")} | ${targetCheck(group, targets).map((c) => c.text).join(" · ") || "—"} |`,
  ];
  const notes = group.variants.filter((v) => v.note).map((v) => `- ${v.system}: ${v.note}`);
  return [...lines, "", ...notes].join("\n");
}

export function latencyTable(result: LatencyResult): string {
  const ms = (v: number | undefined) => (v === undefined ? "—" : v.toFixed(2));
  const lines = [
    "| waiter | reps | p50 ms | p99 ms | max ms | worst max ms | late wake-ups | wall ms (median) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of result.systems) {
    if (s.reps.length === 0) {
      lines.push(`| ${s.system} | 0 | — | — | — | — | — | ${s.skipped ?? ""} |`);
      continue;
    }
    lines.push(`| ${s.system}: ${s.note} | ${s.reps.length} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(s.worstMax)} | `
      + `${s.reps.map((r) => r.late).join(", ")} | ${Math.round(median(s.reps.map((r) => r.wallMs)))} |`);
  }
  return lines.join("\n");
}
