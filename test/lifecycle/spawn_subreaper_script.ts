// Run by spawn_kill_tree_subreaper.test.ts in a process of its own, since a subreaper stays one
// (the mocha process must not become one): an orphaned grandchild comes back and is reaped at its
// exit; kill() reaches the orphans of the child's session. Prints one JSON line.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "../../host/index.js";
import { until } from "../util.js";
import { membersSaid, sessionMembers } from "../trees/helpers.js";
import { isOurChild, procFields, zombieChildren } from "./helpers.js";

const report: Record<string, unknown> = {};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-subreaper-"));
const gate = path.join(dir, "gate");
execFileSync("mkfifo", [gate]);
try {
  // The grandchild blocks on the gate; its parent (a subshell) and the child exit at once.
  const child = spawn("sh", ["-c", `(sh -c 'echo $$ $PPID; read _ < "$0"' "${gate}" &); echo $$ $PPID`],
    { stdio: ["ignore", "pipe", "inherit"], killTree: true, subreaper: true });
  const said = await membersSaid(child, 2);
  const grandchild = [...said.keys()].find((pid) => pid !== child.pid)!;
  report.childExit = (await child.exited).code;
  await until(() => isOurChild(grandchild));
  report.orphanInChildsSession = Number(procFields(grandchild)![3]) === child.pid;
  fs.writeFileSync(gate, "\n"); // opens the gate: the grandchild exits
  await until(() => procFields(grandchild) === null);
  report.zombiesAfterOrphanExit = zombieChildren();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const child = spawn("sh", ["-c", "(sh -c 'echo $$ $PPID; exec sleep infinity' &); sh -c 'echo $$ $PPID; exec sleep infinity' & echo $$ $PPID; wait"],
  { stdio: ["ignore", "pipe", "inherit"], killTree: true, subreaper: true });
const said = await membersSaid(child, 3);
const orphan = [...said].find(([pid, ppid]) => pid !== child.pid && ppid !== child.pid)![0];
await until(() => isOurChild(orphan));
report.killed = child.kill("SIGTERM");
report.killStatus = String(await child.exited);
await until(() => sessionMembers(child.pid, true).length === 0);
report.zombiesAfterKill = zombieChildren();
process.stdout.write(`${JSON.stringify(report)}\n`);
