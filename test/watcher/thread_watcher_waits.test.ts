// The wait behaviours again, with the helper-thread watcher (watch_thread.ts) that Bun and Deno
// use, forced on Node with PIDFD_WATCHER=thread: the same test files, run by a mocha of their own
// (the watcher is chosen once per thread, and this process's main thread already has its own).
// Their fixtures (unref in a pid namespace, terminated workers) inherit the variable.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MOCHA = createRequire(import.meta.url).resolve("mocha/bin/mocha.js");
/** Every file whose tests wait: waitAsync/exited/terminate, ref/unref, 1,000 concurrent waits, worker threads. */
const WAIT_FILES = [
  "lifecycle/wait", "lifecycle/terminate", "lifecycle/spawn_ref_unref", "lifecycle/scale",
  "lifecycle/subprocess_async_dispose", "lifecycle/remembered_status",
  "reliability/ending_worker_leaves_nothing", "reliability/terminated_workers_leave_nothing",
  "reliability/worker_end_without_main_library",
].map((file) => `dist/test/${file}.test.js`);

describe("the helper-thread watcher (PIDFD_WATCHER=thread)", function () {
  this.timeout(300_000);

  it("passes every wait test that the uv_poll watcher passes", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [MOCHA, "--no-config", "--reporter", "test/summary-reporter.cjs",
      "--timeout", "20000", ...WAIT_FILES], { cwd: ROOT, env: { ...process.env, PIDFD_WATCHER: "thread" }, encoding: "utf8", maxBuffer: 1 << 24 })
      .catch((error: { stdout?: string; stderr?: string }) => assert.fail(`${error.stdout ?? ""}${error.stderr ?? ""}`));
    const summary = /^(\d+) passed, (\d+) failed/m.exec(stdout);
    assert.ok(summary, stdout);
    assert.equal(summary[2], "0", stdout);
    assert.ok(Number(summary[1]) >= 30, stdout);
  });

  it("is the one PIDFD_WATCHER names, and refuses another value", async () => {
    const script = `import("${ROOT}dist/host/watch.js").then(({ watcherKind }) => {
      try { console.log(watcherKind()); } catch (e) { console.log(e.code, e.message); } })`;
    const kind = async (value: string | undefined): Promise<string> => (await promisify(execFile)(process.execPath,
      ["-e", script], { env: { ...process.env, PIDFD_WATCHER: value }, encoding: "utf8" })).stdout.trim();
    assert.equal(await kind("thread"), "thread");
    assert.equal(await kind("uv_poll"), "uv_poll");
    assert.equal(await kind(""), "uv_poll", "Node's default");
    assert.match(await kind("epoll"), /^ERR_INVALID_ARG_VALUE .*PIDFD_WATCHER.*"thread" or "uv_poll"/);
  });
});
