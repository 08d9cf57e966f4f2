// Run by tree_of_init.test.ts as PID 1 of a new pid namespace (unshare --pid --fork
// --mount-proc): PidFd.tree(1) is then this process's whole namespace, read by the one scan of
// /proc that a root of ppid 0 gets. Beside a tree of seven: a zombie (its parent never reaps
// it) and an orphan (its parent exited, so it was reparented to us, PID 1). Prints one JSON line
// of what it saw.
import fs from "node:fs";
import { PidFd, spawn } from "../../host/index.js";
import { procFields } from "../lifecycle/helpers.js";
import { openFds, until } from "../util.js";
import { membersSaid, sevenTree } from "./helpers.js";

/** Every process /proc lists now: pid -> ppid. */
function procParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    const fields = /^\d+$/.test(entry) ? procFields(entry) : null;
    if (fields) parents.set(Number(entry), Number(fields[1]));
  }
  return parents;
}

const { child: seven } = await sevenTree();
// The zombie: a child that exits once its parent has exec'd into sleep, which never waits for it
// (the shell itself would reap a child that exited first).
const ZOMBIE = `until [ "$(cat /proc/$PPID/comm)" = sleep ]; do sleep 0.01; done`;
const zombieParent = spawn("sh", ["-c", `sh -c '${ZOMBIE}' & echo $! $$; exec sleep infinity`], { stdio: ["ignore", "pipe", "inherit"] });
const [zombie] = [...(await membersSaid(zombieParent, 1)).keys()];
await until(() => procFields(zombie!)?.[0] === "Z");
// The orphan: a sleep whose shell exits once it has started it.
const orphanParent = spawn("sh", ["-c", "sleep infinity & echo $! $$"], { stdio: ["ignore", "pipe", "inherit"] });
const [orphan] = [...(await membersSaid(orphanParent, 1)).keys()];
await orphanParent.exited;
await until(() => procFields(orphan!)?.[1] === "1");

const fdsBefore = openFds().length;
const truth = procParents();
const tree = PidFd.tree(1);
const seen = new Set<number>();
const report = {
  truth: Object.fromEntries(truth),
  found: Object.fromEntries(tree.nodes.map((node) => [node.pid, node.ppid])),
  rootPpid: tree.root.ppid,
  parentsFirst: tree.nodes.every((node) => (node === tree.root || seen.has(node.ppid)) && seen.add(node.pid)),
  childrenMatch: tree.nodes.every((node) => node.children.every((c) => c.ppid === node.pid)),
  idsMatch: tree.nodes.every((node) => node.id === node.pidfd.getId()),
  pidsMatch: tree.nodes.every((node) => node.pidfd.getPid() === node.pid),
  zombie: { pid: zombie, inTree: tree.nodes.some((node) => node.pid === zombie), state: procFields(zombie!)?.[0] },
  orphan: { pid: orphan, underRoot: tree.root.children.some((node) => node.pid === orphan) },
  fdsHeld: openFds().length - fdsBefore,
  fdsAfterClose: 0,
};
tree.close();
report.fdsAfterClose = openFds().length - fdsBefore;
seven.pidfd.signalTree("SIGKILL");
zombieParent.kill("SIGKILL");
process.kill(orphan!, "SIGKILL");
await Promise.all([seven.exited, zombieParent.exited]);
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
