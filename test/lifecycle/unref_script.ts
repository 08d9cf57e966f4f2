// Run by spawn_ref_unref.test.ts as PID 1 of a pid namespace of its own: starts a child that never
// exits by itself, then "unref" lets the event loop end while it runs; "ref" undoes an unref()
// and kills the child, so that the loop stays alive until `exited` resolves; "sequence" kills it,
// awaits its exit and three more children one after another, after which the loop must end by
// itself (the watcher's handle unreferenced once nothing is waited on). Prints what it saw.
import { spawn } from "../../host/index.js";

const child = spawn("sleep", ["infinity"], { stdio: "ignore", detached: true });
child.unref();
if (process.argv[2] === "sequence") {
  child.ref();
  child.kill("SIGKILL");
  await child.exited;
  for (let i = 0; i < 3; i++) await spawn("true", [], { stdio: "ignore" }).exited;
  console.log("three children awaited one after another");
}
if (process.argv[2] === "ref") {
  child.ref();
  child.kill("SIGKILL");
  void child.exited.then((status) => console.log(`exited: ${status}`));
}
process.on("exit", () => console.log(`loop ended; child alive: ${child.pidfd.isAlive()}`));
