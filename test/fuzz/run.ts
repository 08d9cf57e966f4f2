// `npm run fuzz`: the properties of test/embedding/properties.ts with FUZZ_RUNS cases in all
// (default 1,000,000), shared by weight; FUZZ_SEED replays a run. One line per property, then
// "N passed, N failed" (properties); exits 1 if any failed.
import fc from "fast-check";
import { PROPERTIES, withRuns } from "../embedding/properties.js";

const runs = Number(process.env.FUZZ_RUNS ?? 1_000_000);
const seed = process.env.FUZZ_SEED === undefined ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : Number(process.env.FUZZ_SEED);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);

/** The first line of `text`, at most 400 characters. */
function firstLine(text: string): string {
  const line = text.split("\n", 1)[0]!;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

console.log(`fuzz: ${runs} cases over ${PROPERTIES.length} properties, FUZZ_SEED=${seed}`);
const start = performance.now();
let passed = 0;
let failed = 0;
for (const [property, numRuns] of withRuns(PROPERTIES, runs)) {
  const began = performance.now();
  const details = fc.check(property.make(), { numRuns, seed });
  const ms = Math.round(performance.now() - began);
  const what = `${property.group}: ${property.name}`;
  if (details.failed) {
    failed++;
    console.log(`  ✗ ${what}: failed at case ${details.numRuns} of ${numRuns} (${ms} ms)`);
    console.log(`      counterexample: ${firstLine(fc.stringify(details.counterexample))}`);
    const error = details.errorInstance;
    console.log(`      ${firstLine(error instanceof Error ? error.message : String(error))}`);
  } else {
    passed++;
    console.log(`  ✓ ${what}: ${numRuns} cases (${ms} ms)`);
  }
}
console.log(`${runs} cases in ${((performance.now() - start) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
