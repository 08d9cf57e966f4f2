// The "no-op" column of the operations (bench/ops.ts): the public API on the no-op kernel, in a
// Node process of its own that speaks the workers' protocol (bench/workers.ts). In the bench's
// process its core would share the JIT's feedback with the real kernel's core.
import readline from "node:readline";
import { noopSubjects, publicLoops } from "./public_loops.js";

const loops = publicLoops(noopSubjects());
process.stdout.write("ready\n");
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [op, count] = line.split(" ");
  if (op === "quit") break;
  const run = loops[op!];
  if (!run) {
    process.stdout.write(`skip no operation ${op}\n`);
    continue;
  }
  try {
    process.stdout.write(`ok ${await run(Number(count))}\n`);
  } catch (error) {
    process.stdout.write(`err ${String(error).replaceAll("\n", " ")}\n`);
  }
}
