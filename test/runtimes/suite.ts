// The portable suite that `npm run test:runtimes` runs under each runtime (run.ts): the public-API
// behaviour suite on the real kernel (test/api/behaviour.ts) and the runtime cases (portable.ts),
// through a mocha-like harness of its own. Prints each failure, then "N passed, N failed" and a
// last line of JSON; exits 1 when a test failed.
import { watcherKind } from "../../host/watch.js";
import { installBdd, runAll } from "./harness.js";

installBdd();
const { defineBehaviour } = await import("../api/behaviour.js");
const { realWorld } = await import("../api/real_world.js");
defineBehaviour(realWorld);
await import("./portable.js");

const outcomes = await runAll((outcome) => {
  if (outcome.state === "failed") process.stderr.write(`FAILED ${outcome.title}\n  ${outcome.error?.replace(/\n/g, "\n  ")}\n`);
});
const count = (state: string): number => outcomes.filter((outcome) => outcome.state === state).length;
const [passed, failed, skipped] = [count("passed"), count("failed"), count("skipped")];
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
console.log(JSON.stringify({ watcher: watcherKind(), passed, failed, skipped, failures: outcomes.filter((o) => o.state === "failed").map((o) => o.title) }));
process.exitCode = failed === 0 ? 0 : 1;
