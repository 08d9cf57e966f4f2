// require() of every entry point from a CommonJS consumer: Node loads the package's ES modules
// synchronously (unflagged from 20.19 and 22.12: package.json's "engines" admits no other).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { installConsumer, run } from "./consumer.js";

const ENTRY_POINTS = ["pidfd", "pidfd/embed", "pidfd/testing"];

describe("require() of the installed package, from CommonJS", function () {
  this.timeout(120_000);
  let project: string;

  before(async () => {
    project = await installConsumer();
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it("every entry point gives the same exports as import() does", async () => {
    const script = path.join(project, "entry-points.cjs");
    fs.writeFileSync(script, `const names = {};
      for (const entry of ${JSON.stringify(ENTRY_POINTS)}) names[entry] = Object.keys(require(entry)).sort();
      Promise.all(Object.keys(names).map((entry) => import(entry).then((m) => Object.keys(m).filter((k) => k !== "default").sort())))
        .then((imported) => console.log(JSON.stringify({ required: Object.values(names), imported })));`);
    const { stdout } = await run(process.execPath, [script], { cwd: project });
    const { required, imported } = JSON.parse(stdout) as { required: string[][]; imported: string[][] };
    assert.deepEqual(required, imported);
    assert.ok(required.every((names) => names.length > 0));
    assert.ok(required[0]?.includes("PidFd"));
  });
});
