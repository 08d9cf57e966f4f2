// What each thread holds, and what becomes of it when the thread ends. Module state is per thread
// (a worker has its own instance of every module), so each thread has its own PidFds and its own
// epoll set (watch.ts); their fds are recorded in the process-wide table (ownership.ts).
//
// A worker that ends (its event loop runs dry, or it calls process.exit()) gets 'exit' and cleans
// up itself. A terminated worker runs no JavaScript any more: the thread that created it sweeps up
// after it on the Worker's 'exit' event (if that thread had imported the library by then), and so
// does every later sweep for the threads whose PIDFD_THREAD pidfd says they are gone.
import fs from "node:fs";
import { isMainThread, threadId } from "node:worker_threads";
import { OPEN_THREAD, SIGKILL, WEXITED, WNOHANG, WNOWAIT } from "./constants.js";
import { SIGNALS } from "./signals.js";
import type { Core } from "./core.js";
import { EAGAIN, EINTR, ESRCH } from "./errno.js";
import { FdTable } from "./fd_table.js";
import {
  claimFd, inProgressSlot, ownKind, releaseFd, setFdKind, takeFdsOf, takeInProgressOf, threadsWatchable, type FdKind, type InProgress,
  type InProgressCells,
} from "./ownership.js";
import { kernelCore } from "./runtime.js";

/** What owns an fd and gives it back with close(): a PidFd, an epoll set. */
export interface FdOwner {
  close(): void;
}

/**
 * This thread's fds in the table with their owners; NO_OWNER for the thread's own pidfd,
 * undefined for an fd not held. An owner is a PidFd's Lifecycle, which holds no reference to its
 * PidFd (so a PidFd nobody references can still be collected, and its FinalizationRegistry, which
 * holds the Lifecycle strongly anyway, releases the fd), or the epoll set. Held strongly: a
 * WeakRef per fd cost ~0.3 µs per PidFd.open() (each new WeakRef also keeps its target alive
 * until the end of the job). Arrays, not a Map: a Map's delete on every close cost about as much
 * as the rest of an open + close without syscalls (an FdTable: pages of dense arrays).
 * Only a worker has one: its owners are closed at its 'exit' (endThread()), and the main thread
 * has no such end (its process exits, and the kernel closes every fd); there, what this thread
 * holds is its entries in the process-wide table (writing an owner into an old table on every
 * open cost 9 % of an open + close's own time).
 */
const held = isMainThread ? undefined : new FdTable<FdOwner | typeof NO_OWNER>();
const NO_OWNER = null;

/** The fds PidFds own on simulated cores, per core: their numbers are not fds of this process. */
const simulatedFds = new WeakMap<Core, Set<number>>();
/** The order a thread's fds are cleaned up in: children before their pidfds' epoll set. */
const CLEANUP_ORDER: readonly FdKind[] = ["tree", "child", "stopped", "signalled", "pidfd", "fd", "epoll", "thread"];


let started = false;

/**
 * Records that `owner` (a PidFd) owns the pidfd `fd` of `core`: false when a PidFd already owns
 * it, in any thread of the process for the real kernel (or any backend over it), on the same
 * core for a simulated kernel.
 * @throws {PidFdError} EMFILE for an fd number the table cannot track.
 */
export function claimPidfd(core: Core, fd: number, owner: FdOwner): boolean {
  if (!core.simulated) return holdFd(fd, "pidfd", owner);
  let fds = simulatedFds.get(core);
  if (!fds) simulatedFds.set(core, (fds = new Set()));
  if (fds.has(fd)) return false;
  fds.add(fd);
  return true;
}

/** Gives up the pidfd `fd` of `core` (call it before closing the fd). */
export function releasePidfd(core: Core, fd: number): void {
  if (core.simulated) simulatedFds.get(core)?.delete(fd);
  else letGo(fd);
}

/**
 * Marks a pidfd of `core` this thread owns as that of a child spawn() started, which nothing else
 * reaps: if the thread ends while the child runs, the child is killed (SIGKILL) and reaped; with
 * `killTree`, its whole tree is killed first (killTreesOf()).
 */
export function markSpawnedChild(core: Core, fd: number, killTree: boolean): void {
  if (!core.simulated) setFdKind(fd, killTree ? "tree" : "child");
}

/**
 * Marks a pidfd this thread owns as that of a process a tree kill has stopped (SIGSTOP), then has
 * sent its signal, then has continued (or leaves stopped on purpose): if the thread ends in
 * between, its sweeper sends the signal the kill was sending (treeSignal()) to each member still
 * "stopped", and SIGCONT to both kinds. (A child's pidfd needs no mark: the child is killed.)
 */
export function markTreeMember(fd: number, state: "stopped" | "signalled" | "done"): void {
  if (fd < 0) return;
  const kind = ownKind(fd);
  if (state === "stopped" ? kind === "pidfd" : state === "signalled" ? kind === "stopped" : kind === "stopped" || kind === "signalled") {
    setFdKind(fd, state === "done" ? "pidfd" : state);
  }
}

/**
 * Records, in a worker, the signal a tree kill of this thread is sending to the members it has
 * stopped, and whether SIGCONT follows; 0 once it has sent it (and continued them).
 */
export function treeSignal(sig: number, continues: boolean): void {
  if (isMainThread) return;
  const cells = inProgressSlot();
  Atomics.store(cells.treeSignal, 1, continues ? 1 : 0);
  Atomics.store(cells.treeSignal, 0, sig);
}

/**
 * Where a spawn on the real kernel in this thread has the libc write what it makes (posix_spawnp's
 * pid, pipe2's and socketpair's fds): in a worker, its slot in the process-wide table of work in
 * progress, which a sweeper reads if the worker ends first: the child is killed and reaped unless
 * its pidfd was marked (spawnSettled()), its whole tree first with `killTree`, and the fds are
 * closed unless claimed (holdSpawnFds()). Undefined in the main thread, whose end is the process's.
 */
export function spawnCells(killTree: boolean): InProgressCells | undefined {
  if (isMainThread) return undefined;
  startThread();
  const cells = inProgressSlot();
  Atomics.store(cells.killTree, 0, killTree ? 1 : 0);
  return cells;
}

/** The child whose pid is in `cells` is marked as one, or killed (before its reap): no sweeper needs it. */
export function spawnSettled(cells: InProgressCells | undefined): void {
  if (cells) Atomics.store(cells.pid, 0, 0);
}

/**
 * Records plain fds a spawn in progress made in a worker (pipe or socket ends, the fds in
 * `cells.fds`): closed if the worker ends before each is let go (letGo()), as the spawn closes it
 * or hands it to a stream. The main thread records none.
 */
export function holdSpawnFds(fds: readonly number[], cells: InProgressCells | undefined): void {
  if (!held) return;
  for (const fd of fds) if (fd >= 0 && claimFd(fd, "fd")) held.set(fd, NO_OWNER);
  cells?.fds.fill(-1);
}

/** Records that `owner` owns the real fd `fd` as `kind`: false when another owner holds it. */
export function holdFd(fd: number, kind: FdKind, owner: FdOwner): boolean {
  startThread();
  if (!claimFd(fd, kind)) return false;
  held?.set(fd, owner);
  return true;
}

/** Gives up a real fd this thread holds (call it before closing the fd). */
export function letGo(fd: number): void {
  if (held) {
    if (held.get(fd) === undefined) return;
    held.set(fd, undefined);
  }
  releaseFd(fd);
}

/**
 * On this thread's first fd: in a worker, arranges the cleanup at its 'exit' and opens a
 * PIDFD_THREAD pidfd of the thread (Linux 6.9; without it, only the creating thread's sweep
 * applies); then sweeps up after threads that are gone.
 */
function startThread(): void {
  if (started) return;
  started = true;
  if (!isMainThread) {
    process.on("exit", endThread);
    const fd = openThreadPidfd();
    if (fd >= 0) {
      if (claimFd(fd, "thread")) held!.set(fd, NO_OWNER);
      else kernelCore().close(fd);
    }
  }
  sweepGoneThreads();
}

/** pidfd_open(gettid(), PIDFD_THREAD) of the calling thread (its tid from /proc/thread-self), or -1. */
function openThreadPidfd(): number {
  let tid: number;
  try {
    tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return -1; // no /proc: no thread pidfd, the creating thread's sweep only
  }
  const fd = kernelCore().exports.open(tid, OPEN_THREAD);
  return fd >= 0 ? fd : -1; // before Linux 6.9: the creating thread's sweep only
}

/**
 * A worker's 'exit': kills and reaps the children spawn() started here that still run (the trees
 * of those spawned with `killTree` first) and frees its slot in the table of work in progress,
 * continues what a tree kill had stopped (see endTreeKill()), closes every PidFd (rejecting their
 * pending waits), then the epoll set and the thread's own pidfd.
 */
function endThread(): void {
  const core = kernelCore();
  const fds: { fd: number; owner: FdOwner | typeof NO_OWNER; kind: FdKind | null }[] = [];
  held!.forEach((owner, fd) => fds.push({ fd, owner, kind: ownKind(fd) }));
  killTreesOf(core, fds); // before the thread's slot of work in progress is freed: the kill writes there
  const work = takeInProgressOf(threadId);
  if (work) endSpawn(core, work, fds.map((held) => held.fd));
  fds.sort((a, b) => CLEANUP_ORDER.indexOf(a.kind!) - CLEANUP_ORDER.indexOf(b.kind!));
  for (const { fd, owner, kind } of fds) {
    if (kind === null) continue; // no longer ours: not ours to close
    if (kind === "child" || kind === "tree") killAndReap(core, fd);
    if (kind === "stopped" || kind === "signalled") endTreeKill(core, fd, kind, work);
    letGo(fd);
    if (!owner) {
      core.close(fd);
      continue;
    }
    try {
      owner.close();
    } catch {
      // close(2) failed: the fd is gone all the same, and no one is left to tell
    }
  }
}

/**
 * What kills the trees of an ended thread's "tree" children, given their pids (each an unreaped
 * child of ours): registered by spawn.ts (onTreesLeft()), which reads and kills trees with PidFds.
 * Without it, those children alone are killed.
 */
let killTreesLeft: ((pids: readonly number[]) => void) | undefined;

/** Registers what kills the trees of an ended thread's "tree" children (spawn.ts, as it loads). */
export function onTreesLeft(kill: (pids: readonly number[]) => void): void {
  killTreesLeft = kill;
}

/** Kills the trees of the "tree" children among an ended thread's `fds`; the caller then kills and reaps the children. */
function killTreesOf(core: Core, fds: readonly { fd: number; kind: FdKind | null }[]): void {
  const pids: number[] = [];
  for (const { fd, kind } of fds) {
    if (kind !== "tree") continue;
    const pid = core.exports.get_pid(fd);
    if (pid > 0) pids.push(pid);
  }
  killTreesUnder(pids);
}

/** Kills the trees under `pids`, unreaped children of ours, with the registered killer (killTreesLeft). */
function killTreesUnder(pids: readonly number[]): void {
  if (pids.length === 0 || !killTreesLeft) return;
  try {
    killTreesLeft(pids);
  } catch (error) {
    process.emitWarning(`pidfd: killing the trees of ${pids.join(", ")} failed (the children alone are killed): ${String(error)}`);
  }
}

function killAndReap(core: Core, fd: number): void {
  core.exports.send_signal(fd, SIGKILL, 0);
  while (core.exports.wait(fd, WEXITED) === -EINTR);
}

/**
 * What a tree kill of an ended thread still owed a member it had stopped: the signal it was
 * sending, to a member it had not sent it yet ("stopped"), then SIGCONT, unless the signal leaves
 * the tree stopped (a stop signal, SIGKILL). Outside the kill's signal phase, only SIGCONT.
 */
function endTreeKill(core: Core, fd: number, kind: "stopped" | "signalled", work: InProgress | undefined): void {
  const sig = work?.treeSignal ?? 0;
  if (kind === "stopped" && sig > 0) core.exports.send_signal(fd, sig, 0);
  if (sig === 0 || work!.treeContinues) core.exports.send_signal(fd, SIGNALS.SIGCONT, 0);
}

/**
 * Ends the spawn an ended thread had in progress: kills and reaps the child it had not marked
 * (its tree first, for a spawn with `killTree`: it may have forked already), through a pidfd
 * opened first and only if that process is still a child of ours (running or a zombie: an
 * unreaped child's pid cannot have been reused), and closes the fds it had not claimed
 * (`claimed`: those in the fd table, which the caller closes).
 */
function endSpawn(core: Core, spawn: InProgress, claimed: readonly number[]): void {
  if (spawn.pid > 0) {
    const fd = core.exports.open(spawn.pid, 0);
    if (fd >= 0) { // else reaped already: the spawn's own error path killed it
      const rc = core.exports.wait(fd, WEXITED | WNOHANG | WNOWAIT);
      if (rc === -EAGAIN && spawn.killTree) killTreesUnder([spawn.pid]);
      if (rc >= 0 || rc === -EAGAIN) killAndReap(core, fd);
      core.close(fd);
    }
  }
  for (const fd of spawn.fds) if (!claimed.includes(fd)) core.close(fd);
}

/**
 * Cleans up after thread `id`, whose JavaScript will never run again: kills and reaps its
 * spawned children (the one it was spawning too; the trees of those spawned with `killTree`
 * first), finishes a tree kill it was signalling and continues (SIGCONT) what a tree kill of its
 * had stopped, closes its fds. Each fd is taken by one sweeper only.
 */
function sweepThread(id: number): void {
  const work = takeInProgressOf(id);
  const orphans = takeFdsOf(id);
  // First: its pid is the child's only while unreaped, and the child's own pidfd may be below.
  if (work) endSpawn(kernelCore(), work, orphans.map((orphan) => orphan.fd));
  if (orphans.length === 0) return;
  const core = kernelCore();
  killTreesOf(core, orphans);
  for (const { fd, kind } of orphans) {
    if (kind === "child" || kind === "tree") killAndReap(core, fd);
    if (kind === "stopped" || kind === "signalled") endTreeKill(core, fd, kind, work);
  }
  for (const { fd } of orphans) core.close(fd);
}

/** Sweeps up after every thread whose PIDFD_THREAD pidfd says it is gone (signal 0: ESRCH). */
function sweepGoneThreads(): void {
  const watchable = threadsWatchable();
  if (watchable.length === 0) return;
  const core = kernelCore();
  for (const [id, fd] of watchable) if (core.exports.send_signal(fd, 0, 0) === -ESRCH) sweepThread(id);
}

/** After a worker this thread created has stopped, however it stopped. */
function sweepAfterWorker(id: number): void {
  try {
    sweepThread(id);
    sweepGoneThreads();
  } catch (error) {
    process.emitWarning(`pidfd: cleaning up after worker ${id} failed: ${String(error)}`);
  }
}

// First, before any listener of the program's: a terminate()d worker's children are reaped by the
// time its 'exit' handlers (and terminate()'s promise) see it gone.
process.on("worker", (worker) => {
  const id = worker.threadId;
  worker.prependOnceListener("exit", () => sweepAfterWorker(id));
});
