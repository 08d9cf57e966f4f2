// Run by spawn_subreaper_all.test.ts in a process of its own (a subreaper stays one): a
// descendant that leaves the child's session (setsid, as a daemon does) and is orphaned comes
// back to us. With subreaper true it is left alone, outside the tree; with subreaper "all" it
// is adopted into the child's tree, killed with it and reaped; neither a worker's own detached
// child nor an orphan of a worker's subreaper tree is taken, and a worker cannot use "all".
// Prints one JSON line.
import { once } from "node:events";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import { spawn, type SpawnOptions } from "../../host/index.js";
import { procStateOf, until } from "../util.js";
import { membersSaid } from "../trees/helpers.js";
import { isOurChild, procFields, zombieChildren } from "./helpers.js";

/** Starts a child whose daemon (setsid, its parent gone) is our child once the child has said both pids. */
async function childWithDaemon(subreaper: SpawnOptions["subreaper"]) {
  // The subshell has exited when the child says its own pid: the daemon is reparented by then.
  const child = spawn("sh", ["-c", "(setsid sh -c 'echo $$ $PPID; exec sleep infinity' &); echo $$ $PPID; exec sleep infinity"],
    { stdio: ["ignore", "pipe", "inherit"], killTree: true, subreaper });
  const said = await membersSaid(child, 2);
  const daemon = [...said.keys()].find((pid) => pid !== child.pid)!;
  await until(() => isOurChild(daemon));
  return { child, daemon, leftSession: Number(procFields(daemon)![3]) !== child.pid };
}

/** Whether `pid` has not exited: running or sleeping (still starting its sleep, under load), not a zombie. */
function running(pid: number): boolean {
  const state = procStateOf(pid);
  return state !== null && state !== "Z" && state !== "X";
}

const report: Record<string, unknown> = {};

const session = await childWithDaemon(true);
report.sessionOnlyLeftSession = session.leftSession;
session.child.kill("SIGTERM");
report.sessionOnlyStatus = String(await session.child.exited);
report.sessionOnlyDaemonSurvives = running(session.daemon);
process.kill(session.daemon, "SIGKILL"); // ours to end: we spawned its tree
await until(() => procFields(session.daemon)?.[0] === "Z");
report.sessionOnlyDaemonLeftAZombie = zombieChildren().includes(session.daemon);

// A worker's child in a session of its own, alive while "all" adopts and kills.
const worker = new Worker(`
  const { parentPort, workerData } = require("node:worker_threads");
  import(workerData).then(({ spawn }) => {
    let refused;
    try { spawn("true", [], { subreaper: "all" }); } catch (error) { refused = error.code; }
    const child = spawn("sleep", ["infinity"], { stdio: "ignore", detached: true });
    // A subreaper tree of the worker's, with an orphan in its session.
    const tree = spawn("sh", ["-c", "(sh -c 'echo $$; exec sleep infinity' &); exec sleep infinity"],
      { stdio: ["ignore", "pipe", "inherit"], subreaper: true, killTree: true });
    tree.stdout.setEncoding("utf8").once("data", (line) => {
      parentPort.postMessage({ pid: child.pid, orphan: Number(line), refused });
    });
    parentPort.once("message", async () => {
      child.kill("SIGKILL");
      tree.kill("SIGKILL");
      parentPort.postMessage([String(await child.exited), String(await tree.exited)]);
    });
  });`, { eval: true, workerData: new URL("../../host/index.js", import.meta.url).href });
const [{ pid: workersChild, orphan: workersOrphan, refused }] =
  (await once(worker, "message")) as [{ pid: number; orphan: number; refused: string }];
report.workerRefusedAll = refused;
await until(() => isOurChild(workersOrphan));

const all = await childWithDaemon("all");
report.allLeftSession = all.leftSession;
all.child.kill("SIGTERM");
report.allStatus = String(await all.child.exited);
await until(() => procFields(all.daemon) === null || procFields(all.daemon)![0] === "Z");
await until(() => procFields(all.daemon) === null); // reaped by its adoption: never left a zombie
report.allDaemonGone = true;
// A daemon's own orphan: in the session the daemon leads, so in the daemon's tree, the "all" child's.
const nested = spawn("sh", ["-c",
  `(setsid sh -c '(sh -c "echo g \\$\\$; exec sleep infinity" &); echo d $$; exec sleep infinity' &); echo c $$; exec sleep infinity`],
  { stdio: ["ignore", "pipe", "inherit"], killTree: true, subreaper: "all" });
const tagged = new Map<string, number>();
const lines = createInterface({ input: nested.stdout! });
for await (const line of lines) {
  const [tag, pid] = line.split(" ");
  tagged.set(tag!, Number(pid));
  if (tagged.size === 3) break;
}
const [daemonOfNested, grandOrphan] = [tagged.get("d")!, tagged.get("g")!];
await until(() => isOurChild(daemonOfNested) && isOurChild(grandOrphan));
report.nestedInDaemonsSession = Number(procFields(grandOrphan)![3]) === daemonOfNested;
nested.kill("SIGTERM");
report.nestedStatus = String(await nested.exited);
await until(() => procFields(daemonOfNested) === null && procFields(grandOrphan) === null); // killed and reaped with the tree

report.workersChildUntouched = running(workersChild);
report.workersOrphanUntouched = running(workersOrphan);
worker.postMessage("kill");
report.workersStatuses = (await once(worker, "message"))[0];
await until(() => procFields(workersOrphan) === null); // killed with the worker's tree, and reaped
await worker.terminate();
report.zombiesAfter = zombieChildren().filter((pid) => pid !== session.daemon);
process.stdout.write(`${JSON.stringify(report)}\n`);
