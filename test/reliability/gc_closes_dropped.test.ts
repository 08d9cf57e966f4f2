// A PidFd dropped unclosed has its fd closed when garbage-collected (FinalizationRegistry), with
// one warning per process, as Node does for a FileHandle; a closed one is never closed again.
// Run in a child process with --expose-gc, so that the collections are the test's own.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const INDEX = new URL("../../host/index.js", import.meta.url).href;

/** Runs `body` as an ES module in `node --expose-gc`; resolves with its stdout and stderr. */
async function runWithGc(body: string): Promise<{ stdout: string; stderr: string }> {
  const script = `import { PidFd } from ${JSON.stringify(INDEX)};
    import fs from "node:fs";
    const fds = () => fs.readdirSync("/proc/self/fd").length;
    PidFd.self().close(); // loads the core and koffi, which keep fds of their own
    process.stderr.write(""); // and the warning's stderr stream: Node opens /dev/null for a piped stderr
    /** Collects until the fd count is at most \`target\` (finalizers run as tasks after a GC). */
    async function collectUntil(target, rounds = 1000) {
      for (let i = 0; i < rounds && fds() > target; i++) {
        globalThis.gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      return fds();
    }
    ${body}`;
  return promisify(execFile)(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
}

describe("garbage collection of dropped PidFds", () => {
  it("15,000 PidFd.self() dropped unclosed: every fd is closed again, with one warning", async () => {
    const { stdout, stderr } = await runWithGc(`
      const before = fds();
      (() => { for (let i = 0; i < 15000; i++) PidFd.self(); })(); // no temporary left in this frame
      const after = await collectUntil(before);
      console.log(JSON.stringify({ before, after }));`);
    const { before, after } = JSON.parse(stdout) as { before: number; after: number };
    assert.equal(after, before, "every dropped pidfd was closed");
    const warnings = stderr.split("\n").filter((line) => line.includes("PIDFD_CLOSED_ON_GC"));
    assert.equal(warnings.length, 1, stderr);
    assert.match(warnings[0]!, /Closing pidfd \d+ on garbage collection/);
  });

  it("a closed PidFd is not closed again by the collector (its number may belong to another file by then)", async () => {
    const { stdout, stderr } = await runWithGc(`
      const before = fds();
      for (let i = 0; i < 1000; i++) PidFd.self().close();
      const reused = fs.openSync("/dev/null", "r");
      await collectUntil(0, 50); // collect as much as it will
      fs.fstatSync(reused); // throws EBADF if a finalizer closed our number
      console.log(JSON.stringify({ before, after: fds() }));`);
    const { before, after } = JSON.parse(stdout) as { before: number; after: number };
    assert.equal(after, before + 1, "only /dev/null is open");
    assert.doesNotMatch(stderr, /PIDFD_CLOSED_ON_GC/);
  });
});
