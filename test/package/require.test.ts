// require() of every entry point from a CommonJS consumer: Node loads the package's ES modules
// synchronously (unflagged from 20.19 and 22.12: package.json's "engines" admits no other). The
// test's own node runs it, and so does each Node of the runtime matrix once `npm run test:runtimes`
// has installed them (test/runtimes/binaries: node20, node22, node24, node26, i.e. 20.19.0 and
// 22.12.0, the lowest versions "engines" admits, 24 and 26) and every node binary listed in
// PIDFD_TEST_NODES (colon-separated paths).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installConsumer, run } from "./consumer.js";

const ENTRY_POINTS = ["pidfd", "pidfd/embed", "pidfd/testing"];
const MATRIX_NODES = ["node20", "node22", "node24", "node26"]
  .map((dir) => fileURLToPath(new URL(`../../../test/runtimes/binaries/node_modules/${dir}/bin/node`, import.meta.url)))
  .filter((file) => fs.existsSync(file));
const NODES = [process.execPath, ...MATRIX_NODES, ...(process.env.PIDFD_TEST_NODES ?? "").split(":").filter(Boolean)];

describe("require() of the installed package, from CommonJS", function () {
  this.timeout(120_000);
  let project: string;

  before(async () => {
    project = await installConsumer();
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  for (const node of NODES) {
    it(`every entry point gives the same exports as import() does (${node === process.execPath ? process.version : node})`, async () => {
      const script = path.join(project, "entry-points.cjs");
      fs.writeFileSync(script, `const names = {};
        for (const entry of ${JSON.stringify(ENTRY_POINTS)}) names[entry] = Object.keys(require(entry)).sort();
        Promise.all(Object.keys(names).map((entry) => import(entry).then((m) => Object.keys(m).filter((k) => k !== "default").sort())))
          .then((imported) => console.log(JSON.stringify({ required: Object.values(names), imported })));`);
      const { stdout } = await run(node, [script], { cwd: project });
      const { required, imported } = JSON.parse(stdout) as { required: string[][]; imported: string[][] };
      assert.deepEqual(required, imported);
      assert.ok(required.every((names) => names.length > 0));
      assert.ok(required[0]?.includes("PidFd"));
    });
  }
});
