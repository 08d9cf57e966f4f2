// Run by soak.test.ts in `node --expose-gc`: a warm-up, a baseline of the resources this process
// holds, then SOAK_SCALE × (100,000 synchronous operations, 5,000 spawns, 1,000 concurrent
// waitAsync with random aborts, timeouts and closes), then the same resources again. Every answer
// is checked as it comes (a wrong one throws: the script exits non-zero). Prints one JSON line.
import fs from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { PidFd, PidFdError, spawn, type ExitStatus, type Subprocess } from "../../host/index.js";
import { decoderCore, kernelCore } from "../../host/runtime.js";
import { childrenOf, zombieChildren } from "../lifecycle/helpers.js";

const SCALE = Number(process.env.SOAK_SCALE ?? 1);
const SEED = Number(process.env.SOAK_SEED ?? 1);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
if (!(SCALE >= 1)) throw new Error(`SOAK_SCALE must be a number >= 1, got ${process.env.SOAK_SCALE}`);

/** xorshift32: the same seed gives the same run. */
let state = SEED >>> 0 || 1;
function random(n: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}
function pick<T>(items: readonly T[]): T {
  return items[random(items.length)]!;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** The code of the PidFdError (or AbortError) `error`; anything else is rethrown. */
function codeOf(error: unknown): string {
  if (error instanceof PidFdError) return error.code;
  if (error instanceof Error && error.name === "AbortError") return "AbortError";
  throw error;
}

/** Checks that `call()` throws the PidFdError `code`. */
function expectCode(call: () => unknown, code: string, what: string): void {
  let got = "no error";
  try {
    call();
  } catch (error) {
    got = codeOf(error);
  }
  check(got === code, `${what}: ${got}, expected ${code}`);
}

function count(tally: Record<string, number>, key: string): void {
  tally[key] = (tally[key] ?? 0) + 1;
}

/**
 * `ops` synchronous operations on PidFds of this process: open, the queries, signal 0, close,
 * drop unclosed (the collector closes it), and calls that must fail (a closed PidFd: EBADF; a
 * pid that does not exist: ESRCH).
 */
async function synchronousOperations(ops: number): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  const open: PidFd[] = [];
  const closed: PidFd[] = [];
  const selfId = (() => {
    using self = PidFd.self();
    return self.getId();
  })();
  for (let i = 0; i < ops; i++) {
    if (i % 1000 === 999) await nextTurn(); // lets the collector's finalizers run
    const op = open.length === 0 ? "open" : pick(["open", "open", "getInfo", "getId", "getPid", "signal0", "close", "drop", "useClosed", "openMissing"]);
    count(tally, op);
    const any = open[random(open.length)]!;
    switch (op) {
      case "open":
        if (open.length >= 64) open.shift()!.close();
        open.push(PidFd.self());
        break;
      case "getInfo": {
        const info = any.getInfo();
        check(info.pid === process.pid && info.exit === null, `getInfo: pid ${info.pid}, exit ${info.exit}`);
        break;
      }
      case "getId":
        check(any.getId() === selfId, "getId");
        break;
      case "getPid":
        check(any.getPid() === process.pid, "getPid");
        break;
      case "signal0":
        any.sendSignal(0);
        break;
      case "close": {
        const pidfd = open.splice(random(open.length), 1)[0]!;
        pidfd.close();
        closed.push(pidfd);
        if (closed.length > 16) closed.shift();
        break;
      }
      case "drop":
        open.splice(random(open.length), 1);
        break;
      case "useClosed": {
        const pidfd = closed[random(closed.length)];
        if (pidfd) expectCode(() => pidfd.getPid(), "EBADF", "getPid on a closed PidFd");
        break;
      }
      case "openMissing":
        expectCode(() => PidFd.open(0x7fffffff).close(), "ESRCH", "PidFd.open(2^31-1)");
        break;
    }
  }
  for (const pidfd of open) pidfd.close();
  return tally;
}

/** How a spawned child ends, and the status that must come of it. */
interface Ending {
  name: string;
  run(): Promise<{ status: ExitStatus; expected: string }>;
}

const SIGNALS = ["SIGTERM", "SIGKILL", "SIGINT", "SIGHUP", "SIGUSR1"] as const;

function sleeper(): Subprocess {
  return spawn("sleep", ["1000"], { stdio: "ignore" });
}

const ENDINGS: readonly Ending[] = [
  { name: "exit code, awaited", async run() {
    const code = random(256);
    const child = spawn("sh", ["-c", `exit ${code}`], { stdio: "ignore" });
    return { status: await child.exited, expected: `exited with code ${code}` };
  } },
  { name: "true, pidfd.wait()", async run() {
    const child = spawn("true", [], { stdio: "ignore" });
    return { status: child.pidfd.wait(), expected: "exited with code 0" };
  } },
  { name: "false, pidfd.waitAsync()", async run() {
    const child = spawn("false", [], { stdio: "ignore" });
    return { status: (await child.pidfd.waitAsync())!, expected: "exited with code 1" };
  } },
  { name: "killed", async run() {
    const signal = pick(SIGNALS);
    const child = sleeper();
    child.kill(signal);
    return { status: await child.exited, expected: `killed by ${signal}` };
  } },
  { name: "close() while running", async run() {
    const child = sleeper();
    child.close();
    return { status: await child.exited, expected: "killed by SIGKILL" };
  } },
  { name: "`using` while running", async run() {
    let exited: Promise<ExitStatus>;
    {
      using child = sleeper();
      exited = child.exited;
    }
    return { status: await exited, expected: "killed by SIGKILL" };
  } },
  { name: "close() after the exit", async run() {
    const child = spawn("sh", ["-c", "exit 3"], { stdio: ["pipe", "pipe", "pipe"] });
    const status = await child.exited;
    child.close();
    return { status, expected: "exited with code 3" };
  } },
];

/** `total` children, 16 at a time, each ended one of the ENDINGS ways; checks every status. */
async function spawns(total: number): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      const ending = pick(ENDINGS);
      count(tally, ending.name);
      const { status, expected } = await ending.run();
      check(status.toString() === expected, `${ending.name}: ${status}, expected ${expected}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tally;
}

const GATED_CHILDREN = 20;

/**
 * `waits` concurrent waitAsync on 20 gated children, through their Subprocess's pidfd or a PidFd
 * of their own, while the children are released one by one: some aborted (AbortController) or
 * closed before a random release (or before the first), some with a timeout of 0-29 ms. Each
 * wait must end with the child's status, or AbortError / ETIMEDOUT / EBADF exactly when it was
 * aborted / timed / closed.
 */
async function concurrentWaits(waits: number): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  const children = Array.from({ length: GATED_CHILDREN }, (_, i) => ({
    code: 10 + i,
    child: spawn("sh", ["-c", `read _; exit ${10 + i}`], { stdio: ["pipe", "ignore", "ignore"] }),
  }));
  /** What is done before child k is released (k = GATED_CHILDREN: after the last). */
  const beforeRelease: (() => void)[][] = Array.from({ length: GATED_CHILDREN + 1 }, () => []);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < waits; i++) {
    const { code, child } = pick(children);
    const how = pick(["plain", "abort", "timeout", "close"] as const);
    const own = how === "close" || random(2) === 0;
    const pidfd = own ? PidFd.open(child.pid) : child.pidfd;
    const controller = new AbortController();
    const wait = pidfd.waitAsync({
      ...(how === "abort" ? { signal: controller.signal } : {}),
      ...(how === "timeout" ? { timeout: random(30) } : {}),
    });
    if (how === "abort") beforeRelease[random(GATED_CHILDREN + 1)]!.push(() => controller.abort());
    if (how === "close") beforeRelease[random(GATED_CHILDREN + 1)]!.push(() => pidfd.close());
    const allowed = { plain: "status", abort: "AbortError", timeout: "ETIMEDOUT", close: "EBADF" }[how];
    pending.push(wait.then(
      (status) => {
        check(status?.code === code, `${how}: ${status}, expected exit ${code}`);
        count(tally, `${how}: status`);
      },
      (error) => {
        const got = codeOf(error);
        check(got === allowed, `${how}: ${error}`);
        count(tally, `${how}: ${got}`);
      },
    ).finally(() => {
      if (own) pidfd.close();
    }));
  }
  // Node runs timers in expiry order: the waits with a timeout of 0 or 1 ms time out before this
  // 1 ms timer fires, so before any child is released.
  await new Promise((resolve) => setTimeout(resolve, 1));
  for (const [k, actions] of beforeRelease.entries()) {
    for (const act of actions) act();
    const gated = children[k];
    if (!gated) continue;
    gated.child.stdin!.end();
    check((await gated.child.exited).code === gated.code, "a gated child's status");
  }
  await Promise.all(pending);
  return tally;
}

/** What this process holds: fds (by target, numbers in brackets dropped), child processes, memory. */
function resources(): { fds: string[]; children: number[]; zombies: number[]; wasmBytes: number; rssMB: number; heapUsedKB: number; heapTotalMB: number } {
  const fds = fs.readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [fs.readlinkSync(`/proc/self/fd/${fd}`).replace(/\[\d+\]/, "[]")];
    } catch {
      return []; // the directory's own fd, closed by now
    }
  }).sort();
  const { rss, heapUsed, heapTotal } = process.memoryUsage();
  return {
    fds, children: childrenOf(process.pid), zombies: zombieChildren(),
    wasmBytes: kernelCore().exports.memory.buffer.byteLength + decoderCore().exports.memory.buffer.byteLength,
    rssMB: Math.round(rss / 2 ** 20), heapUsedKB: Math.round(heapUsed / 2 ** 10), heapTotalMB: Math.round(heapTotal / 2 ** 20),
  };
}

/** The pidfds this process has open. */
function openPidfds(): number {
  return fs.readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === "anon_inode:[pidfd]";
    } catch {
      return false;
    }
  }).length;
}

/**
 * Collects until no pidfd is open (every PidFd is closed or dropped by now, and finalizers run
 * as tasks after a GC), or until 50 rounds close none: then the comparison shows what is left.
 */
async function settle(): Promise<void> {
  for (let left = openPidfds(), idle = 0; left > 0 && idle < 50;) {
    gc!();
    await nextTurn();
    const now = openPidfds();
    idle = now < left ? 0 : idle + 1;
    left = now;
  }
  gc!();
}

async function phases(scale: number): Promise<{ ms: Record<string, number>; tallies: Record<string, Record<string, number>> }> {
  const ms: Record<string, number> = {};
  const tallies: Record<string, Record<string, number>> = {};
  for (const [name, run, n] of [
    ["synchronous", synchronousOperations, 100_000],
    ["spawns", spawns, 5_000],
    ["waits", concurrentWaits, 1_000],
  ] as const) {
    const start = performance.now();
    tallies[name] = await run(Math.round(n * scale));
    ms[name] = Math.round(performance.now() - start);
  }
  return { ms, tallies };
}

await phases(0.01); // the core, koffi, the epoll set, the JIT: everything made once is made here
await settle();
const before = resources();
const { ms, tallies } = await phases(SCALE);
await settle();
const after = resources();
console.log(JSON.stringify({ scale: SCALE, seed: SEED, ms, tallies, before, after }));
