// Many children at once: 1,000 concurrent waits on the event loop (no thread, no timer polling),
// and thousands of spawn/exit cycles without a leaked fd, poll handle or zombie.
import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import { text } from "node:stream/consumers";
import { spawn, type Subprocess } from "../../host/index.js";
import { kernelCore } from "../../host/runtime.js";
import { watchedFds } from "../../host/watch.js";
import { openFds } from "../util.js";
import { zombieChildren } from "./helpers.js";

/** Resolves once `stream` has closed its fd ('close'). */
function closed(stream: Readable | Writable): Promise<unknown> {
  return stream.closed ? Promise.resolve() : once(stream, "close");
}

/** A pipe of ours (O_CLOEXEC), for a gate that many children read from. */
function gatePipe(): [read: number, write: number] {
  const fds = new Int32Array(2);
  assert.equal(kernelCore().process.pipe(fds, kernelCore().exports.o_cloexec()), 0);
  return [fds[0]!, fds[1]!];
}

describe("lifecycle at scale", () => {
  it("1,000 concurrent waitAsync: right statuses; no thread, timer or blocked event loop per wait", async function () {
    this.timeout(60_000);
    const count = 1000;
    // Every child blocks on one shared pipe until we open the gate, then exits (every 7th kills
    // itself with SIGTERM). While the gate is shut no wait can end, so whatever completes
    // meanwhile shows that the pending waits hold neither the event loop nor the threadpool.
    const [gate, opener] = gatePipe();
    const timers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const timersBefore = timers();
    const script = 'read _; if [ "$0" = term ]; then kill -TERM $$; fi; exit "$0"';
    const expected: (number | "SIGTERM")[] = [];
    const children: Subprocess[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const outcome = i % 7 === 0 ? "SIGTERM" : i % 256;
        expected.push(outcome);
        children.push(spawn("sh", ["-c", script, outcome === "SIGTERM" ? "term" : String(outcome)], { stdio: [gate, "ignore", "ignore"] }));
      }
    } finally {
      fs.closeSync(gate);
    }

    let resolved = 0;
    const waits = children.map((child) => child.pidfd.waitAsync().then((status) => {
      resolved++;
      return status;
    }));
    assert.equal(watchedFds(), count, "one poll handle per pidfd, shared by exited and waitAsync");
    assert.equal(timers(), timersBefore, "no timer for any of the 2,000 waits (exited's and ours)");
    await new Promise((resolve) => setImmediate(resolve)); // the event loop turns
    await fs.promises.readFile("/proc/self/status"); // a threadpool job completes
    assert.equal(resolved, 0, "the gate is shut: no child has exited");

    fs.writeSync(opener, "\n".repeat(count));
    fs.closeSync(opener);
    const statuses = await Promise.all(waits);
    const exited = await Promise.all(children.map((child) => child.exited));

    statuses.forEach((status, i) => {
      const want = expected[i];
      if (want === "SIGTERM") assert.equal(status?.signal, "SIGTERM", `child ${i}`);
      else assert.equal(status?.code, want, `child ${i}`);
      assert.equal(exited[i], status, `child ${i}: exited and waitAsync share the reap`);
    });
    assert.equal(watchedFds(), 0);
    assert.deepEqual(zombieChildren(), []);
  });

  it("5,000 children spawned, awaited and never closed leave /proc/self/fd, poll handles and zombies unchanged", async function () {
    this.timeout(120_000);
    // The first wait opens the library's one epoll fd, which then stays for the process's life.
    await spawn("/bin/true", [], { stdio: "ignore" }).exited;
    // Each open fd with what it points to: an fd that an earlier test's socket still held and that
    // closes meanwhile is no leak; a new fd, or a number reused for another file, is one.
    const links = (): string[] => openFds().map((fd) => {
      try {
        return `${fd}->${fs.readlinkSync(`/proc/self/fd/${fd}`)}`;
      } catch {
        return fd; // the readdir's own fd, closed by now
      }
    });
    const linksBefore = links();
    const zombiesBefore = zombieChildren();
    const cycles = 5000;
    const concurrency = 8;
    let started = 0;
    let failures = 0;
    async function worker(): Promise<void> {
      while (started < cycles) {
        const n = started++;
        if (n % 100 === 50) {
          // A failing spawn now and then: nothing may be left behind either.
          try {
            spawn("/nonexistent/pidfd-leak-test", [], { stdio: "pipe" });
          } catch {
            failures++;
          }
          continue;
        }
        if (n % 10 === 0) {
          const child = spawn("sh", ["-c", "read x; echo $x"], { stdio: ["pipe", "pipe", "ignore"] });
          child.stdin!.end(`${n}\n`);
          const [status, out] = await Promise.all([child.exited, text(child.stdout!), closed(child.stdin!), closed(child.stdout!)]);
          assert.equal(status.code, 0);
          assert.equal(out, `${n}\n`);
          continue;
        }
        const status = await spawn("/bin/true", [], { stdio: "ignore" }).exited;
        assert.equal(status.code, 0);
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
    assert.equal(failures, cycles / 100);
    const leaked = links().filter((link) => !linksBefore.includes(link) && !/^\d+$/.test(link));
    assert.deepEqual(leaked, [], `before: ${linksBefore.join(" ")}`);
    assert.deepEqual(zombieChildren().filter((pid) => !zombiesBefore.includes(pid)), []);
    assert.equal(watchedFds(), 0);
  });
});
