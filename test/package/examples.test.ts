// examples/ as a user runs them from the installed package: plain JavaScript (no `using`, no
// TypeScript), ES module and CommonJS, on the Node that runs the tests.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { installConsumer, run } from "./consumer.js";

describe("the examples, run from the installed package", function () {
  this.timeout(120_000);
  let project: string;
  let examples: string;

  before(async () => {
    project = await installConsumer();
    examples = path.join(project, "node_modules", "pidfd", "examples");
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  /** The lines an example prints, run with the test's own node from the consumer project. */
  async function linesOf(example: string): Promise<string[]> {
    const { stdout } = await run(process.execPath, [path.join(examples, example)], { cwd: project });
    return stdout.trimEnd().split("\n");
  }

  it("signal-and-wait.mjs: the child is running, SIGTERM kills it, and it is reaped", async () => {
    const [before, status, after] = await linesOf("signal-and-wait.mjs");
    assert.match(before ?? "", /^Subprocess \{ pid: \d+, fd: \d+, state: 'running' \}$/);
    assert.equal(status, "killed by SIGTERM");
    assert.match(after ?? "", /^Subprocess \{ pid: \d+, fd: -1, state: 'exited' \}$/);
  });

  it("require.cjs: require(\"pidfd\") gives PidFd, and PidFd.self() names the running process", async () => {
    const [inspected, samePid] = await linesOf("require.cjs");
    assert.match(inspected ?? "", /^PidFd \{ fd: \d+, pid: \d+, state: 'open' \}$/);
    assert.equal(samePid, "true");
  });

  it("embed.mjs: the core runs on a hand-written import object, from the shipped build/pidfd.wasm", async () => {
    const lines = await linesOf("embed.mjs");
    const result = JSON.parse(lines.at(-1) ?? "") as { pid: number; pidAgain: number };
    assert.equal(result.pid, 4242);
    assert.equal(result.pidAgain, 4242);
  });
});
