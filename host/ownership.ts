// Which real fds the library owns, for the whole process: a table indexed by fd number in a
// SharedArrayBuffer that every thread sees, updated with Atomics. An entry names the owning thread
// and what the fd is for, so two owners never hold one fd whichever threads they are in, and
// another thread can clean up after a worker whose JavaScript will never run again.
//
// A second table records, per thread, the work it has in progress: posix_spawnp writes a new
// child's pid there itself, and pipe2 its fds, so a worker terminated before it has claimed them
// leaves them known; and the signal a tree kill is sending, so that its sweeper can finish it.
//
// The first thread that imports the library creates the tables and publishes them as environment
// data (worker_threads.setEnvironmentData); every worker created afterwards by a thread that has
// them inherits them (a clone of a SharedArrayBuffer shares its memory). A thread that imports the
// library before any thread it descends from did makes tables of its own: see docs/api.md,
// "Threads and resources".
import fs from "node:fs";
import { getEnvironmentData, setEnvironmentData, threadId } from "node:worker_threads";
import { EAGAIN, EMFILE, ENOMEM } from "./errno.js";
import { PidFdError } from "./errors.js";

/**
 * What an owned fd is, which says how to clean it up once its thread is gone: "pidfd" and "fd" (a
 * pipe or socket end of a spawn in progress) are closed;
 * "child" is the pidfd of a child of ours that nothing else reaps (spawn()), killed, reaped, then
 * closed; "tree" the same for a child spawned with `killTree` (or an orphan adopted into such a
 * child's tree), whose whole tree is killed first; "stopped" is a pidfd whose process a tree kill
 * of the thread's has stopped (SIGSTOP) and not continued yet, and "signalled" one that the kill
 * has also sent its signal: the sweeper sends the signal a "stopped" one still lacks, continues
 * (SIGCONT) both, and closes them; "epoll" is a thread's epoll set; "thread" is a thread's
 * PIDFD_THREAD pidfd of itself, which tells other threads when it has exited.
 */
export type FdKind = "pidfd" | "child" | "tree" | "stopped" | "signalled" | "epoll" | "thread" | "fd";

/**
 * Kind codes are 1 + the index here; 0 is no entry. Append only: two copies of the library in one
 * process share the table. (Up to fifteen fit the four kind bits.)
 */
const KINDS: readonly FdKind[] = ["pidfd", "child", "epoll", "thread", "stopped", "fd", "signalled", "tree"];

/** The key of the table in the environment data; the number changes with the entry layout. */
const TABLE_KEY = "pidfd/fd-owners/2";
/** An entry is `owner * 16 + kind code`; owner is threadId + 1, so 0 means "not owned". */
const KIND_BITS = 4;
const KIND_MASK = 2 ** KIND_BITS - 1;
const OWNERS = 2 ** (31 - KIND_BITS) - 1;
/** Entries at first; the table grows (doubling) up to the highest fd number the kernel allows. */
const INITIAL_ENTRIES = 1024;
/** Never reserve more than this many entries (4 bytes each), whatever fs.nr_open says. */
const MAX_ENTRIES = 2 ** 26;

/** This thread's owner number. Thread ids are never reused; they wrap only after 2^27 workers. */
const self = (threadId % OWNERS) + 1;

const buffer = publishedTable(TABLE_KEY, () => {
  const limit = Math.min(highestFdCount(), MAX_ENTRIES);
  return new SharedArrayBuffer(Math.min(INITIAL_ENTRIES, limit) * 4, { maxByteLength: limit * 4 });
});
/**
 * A fixed-length view of the table as this thread last saw it (Atomics on a length-tracking view
 * cost three times as much); seen() renews it after a grow(), whichever thread made it.
 */
let entries = new Int32Array(buffer, 0, buffer.byteLength / 4);

function seen(): Int32Array {
  if (entries.length !== buffer.byteLength / 4) entries = new Int32Array(buffer, 0, buffer.byteLength / 4);
  return entries;
}

/** The table published as `key` by a thread this one descends from, or a new one (`create()`) published. */
function publishedTable(key: string, create: () => SharedArrayBuffer): SharedArrayBuffer {
  const inherited = getEnvironmentData(key);
  if (inherited instanceof SharedArrayBuffer) return inherited;
  const table = create();
  setEnvironmentData(key, table);
  return table;
}

/** fs.nr_open: no fd number reaches it (RLIMIT_NOFILE cannot be raised above it). */
function highestFdCount(): number {
  try {
    // utf8: Node reads it in one native call (latin1 runs fs's JavaScript read loop: 0.5 ms at start)
    const value = Number(fs.readFileSync("/proc/sys/fs/nr_open", "utf8"));
    if (Number.isSafeInteger(value) && value > 0) return value;
  } catch {
    // no /proc: the kernel's default
  }
  return 1048576;
}

/** This thread's entry for each kind, made once (a constant per call site once inlined). */
const ENTRIES = Object.fromEntries(KINDS.map((kind, i) => [kind, (self << KIND_BITS) | (i + 1)])) as Readonly<Record<FdKind, number>>;

function entryOf(kind: FdKind): number {
  return ENTRIES[kind];
}

/** Makes room for entry `fd`, or throws EMFILE when the table cannot reach it. */
function reach(fd: number): void {
  if (fd < entries.length) return;
  while (fd >= seen().length) {
    const bytes = Math.min(Math.max(fd + 1, entries.length * 2), buffer.maxByteLength / 4) * 4;
    if (bytes <= fd * 4) {
      throw new PidFdError({ errno: EMFILE, method: "fd ownership",
        detail: `fd ${fd} is above the ${buffer.maxByteLength / 4} fd numbers the library can track` });
    }
    try {
      buffer.grow(bytes);
    } catch (error) {
      // Another thread grew it past `bytes` meanwhile (grow never shrinks), or memory ran out.
      if (!(error instanceof RangeError)) throw error;
      if (fd >= seen().length) throw new PidFdError({ errno: ENOMEM, method: "fd ownership", cause: error });
    }
  }
}

/**
 * Records that this thread owns `fd` as `kind`: false when an owner (in any thread sharing the
 * table) already holds it.
 * @throws {PidFdError} EMFILE for an fd number beyond what the table can track.
 */
export function claimFd(fd: number, kind: FdKind): boolean {
  reach(fd);
  return Atomics.compareExchange(entries, fd, 0, entryOf(kind)) === 0;
}

/** Changes what an fd this thread owns is for (a pidfd that becomes a spawned child's). */
export function setFdKind(fd: number, kind: FdKind): void {
  const entry = fd < entries.length ? Atomics.load(entries, fd) : 0;
  if (entry >>> KIND_BITS !== self) return;
  Atomics.compareExchange(entries, fd, entry, entryOf(kind));
}

/** What an fd this thread owns is for, or null when it does not own it. */
export function ownKind(fd: number): FdKind | null {
  const entry = fd < entries.length ? Atomics.load(entries, fd) : 0;
  return entry >>> KIND_BITS === self ? KINDS[(entry & KIND_MASK) - 1]! : null;
}

/**
 * Gives up an fd this thread owns (before closing it). Does nothing for an fd it does not own.
 * A plain read suffices: only this thread changes an entry it owns (a sweeper takes a thread's
 * entries only once its JavaScript has stopped for good).
 */
export function releaseFd(fd: number): void {
  if (fd < entries.length && entries[fd]! >>> KIND_BITS === self) Atomics.store(entries, fd, 0);
}

/** An fd released from a thread that is gone, for its sweeper to clean up. */
export interface OrphanFd {
  fd: number;
  kind: FdKind;
}

/**
 * Releases every fd that thread `id` owns and returns them: each to exactly one caller, whichever
 * threads sweep at once. Only for a thread whose JavaScript will never run again.
 */
export function takeFdsOf(id: number): OrphanFd[] {
  const owner = (id % OWNERS) + 1;
  const taken: OrphanFd[] = [];
  const table = seen();
  for (let fd = 0; fd < table.length; fd++) {
    const entry = Atomics.load(table, fd);
    if (entry >>> KIND_BITS !== owner) continue;
    if (Atomics.compareExchange(table, fd, entry, 0) === entry) taken.push({ fd, kind: KINDS[(entry & KIND_MASK) - 1]! });
  }
  return taken;
}

/** The other threads that hold a "thread" pidfd of themselves: [thread id, fd] pairs. */
export function threadsWatchable(): [id: number, fd: number][] {
  const found: [number, number][] = [];
  const table = seen();
  for (let fd = 0; fd < table.length; fd++) {
    const entry = Atomics.load(table, fd);
    if (entry !== 0 && KINDS[(entry & KIND_MASK) - 1] === "thread" && entry >>> KIND_BITS !== self) found.push([(entry >>> KIND_BITS) - 1, fd]);
  }
  return found;
}

/**
 * The key of the table of work in progress: per thread a slot `[owner, pid, fd, fd, signal,
 * continues, killTree]`, owner 0 for a free slot, -1 for no fd, 0 for no signal.
 */
const IN_PROGRESS_KEY = "pidfd/in-progress/2";
const SLOT = 7;
/** Slots at first (one per thread that spawns or kills trees, for its life); the table doubles as needed. */
const INITIAL_SLOTS = 64;
/** Never more slots than this (28 bytes each): threads at work at once. */
const MAX_SLOTS = 2 ** 16;

const inProgressBuffer = publishedTable(IN_PROGRESS_KEY, () => new SharedArrayBuffer(INITIAL_SLOTS * SLOT * 4, { maxByteLength: MAX_SLOTS * SLOT * 4 }));

/**
 * A thread's slot in the table of work in progress. The libc writes there what a terminated
 * worker would otherwise strand (koffi hands it the shared memory): posix_spawnp's new pid, and
 * the two fds of a pipe2 or socketpair until they are claimed in the fd table. A tree kill writes
 * the signal it is sending to the members it has stopped.
 */
export interface InProgressCells {
  /** [pid], 0 for none: cleared once the child's pidfd is marked "child", or once it is killed (before its reap). */
  readonly pid: Int32Array;
  /** [1] when that child is spawned with `killTree` (its tree is killed with it), else [0]. */
  readonly killTree: Int32Array;
  /** [fd, fd], -1 for none: cleared once both are claimed (claimFd). */
  readonly fds: Int32Array;
  /** [signal, continues]: while a tree kill sends `signal`, and whether SIGCONT follows it (1) or not (0). */
  readonly treeSignal: Int32Array;
}
let ownCells: InProgressCells | undefined;

/**
 * This thread's slot in the table of work in progress, taken on first use and kept for the
 * thread's life (takeInProgressOf() frees it).
 * @throws {PidFdError} EAGAIN when 2^16 threads hold a slot.
 */
export function inProgressSlot(): InProgressCells {
  if (ownCells) return ownCells;
  for (;;) {
    const slots = new Int32Array(inProgressBuffer);
    for (let at = 0; at < slots.length; at += SLOT) {
      if (Atomics.load(slots, at) === 0 && Atomics.compareExchange(slots, at, 0, self) === 0) {
        const cells = (from: number, length: number): Int32Array => new Int32Array(inProgressBuffer, (at + from) * 4, length);
        ownCells = { pid: cells(1, 1), fds: cells(2, 2), treeSignal: cells(4, 2), killTree: cells(6, 1) };
        ownCells.pid[0] = ownCells.treeSignal[0] = ownCells.treeSignal[1] = ownCells.killTree[0] = 0;
        ownCells.fds.fill(-1);
        return ownCells;
      }
    }
    const bytes = Math.min(slots.length * 8, inProgressBuffer.maxByteLength);
    if (bytes <= slots.length * 4) {
      throw new PidFdError({ errno: EAGAIN, method: "spawn", detail: `${MAX_SLOTS} threads hold a slot of work in progress already` });
    }
    try {
      inProgressBuffer.grow(bytes);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // another thread grew it meanwhile: look again
    }
  }
}

/** What a thread's slot held when it was freed (see InProgressCells): 0 for no pid or signal. */
export interface InProgress {
  pid: number;
  killTree: boolean;
  fds: number[];
  treeSignal: number;
  treeContinues: boolean;
}

/**
 * Frees the slot of thread `id` in the table of work in progress and returns what it held, or
 * undefined when the thread holds none. To one caller only, whichever threads sweep at once; only
 * for a thread whose JavaScript will never run again (or the thread itself, as it ends).
 */
export function takeInProgressOf(id: number): InProgress | undefined {
  const owner = (id % OWNERS) + 1;
  const slots = new Int32Array(inProgressBuffer);
  for (let at = 0; at < slots.length; at += SLOT) {
    if (Atomics.load(slots, at) !== owner) continue;
    const cell = (i: number): number => Atomics.load(slots, at + i);
    const taken = {
      pid: cell(1), killTree: cell(6) === 1, fds: [cell(2), cell(3)].filter((fd) => fd >= 0), treeSignal: cell(4), treeContinues: cell(5) === 1,
    };
    if (Atomics.compareExchange(slots, at, owner, 0) !== owner) return undefined;
    if (owner === self) ownCells = undefined;
    return taken;
  }
  return undefined;
}
