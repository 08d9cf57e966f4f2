// Process trees on pidfds: the children of a process, its whole tree, and stopping a tree. Every
// member is named by its own pidfd, opened from a pid read in /proc and verified after the open
// (its parent is still the parent's pid, and the parent is still alive), so that a pid reused by
// a stranger never slips in. The rules are in docs/api.md, "Process trees".
import fs from "node:fs";
import { ECHILD, EINVAL, EMFILE, ENFILE, ENOENT, EOPNOTSUPP, ESRCH, ETIMEDOUT } from "./errno.js";
import { fail, failIn, PidFdError } from "./errors.js";
import type { ExitStatus } from "./exit_status.js";
import type { PidFd } from "./pidfd.js";
import { signalName, signalNumber, type Signal } from "./signals.js";
import { markTreeMember, treeSignal } from "./threads.js";

/** One process of a ProcessTree. */
export interface ProcessTreeNode {
  /** Its pid in our pid namespace. */
  readonly pid: number;
  /** Its unique id (PidFd.getId(), Linux 6.9), or null where the kernel has none. */
  readonly id: bigint | null;
  /** Its parent's pid, as verified when it was found: the pid of the node above it. */
  readonly ppid: number;
  /** Its pidfd: owned by the tree (closed by tree.close()), but for the root of pf.descendants(). */
  readonly pidfd: PidFd;
  /** Its children in the tree. */
  readonly children: readonly ProcessTreeNode[];
}

/**
 * A process and its descendants, each held by a pidfd. The tree owns the pidfds it opened:
 * close() (or `using`) closes them all; the root's pidfd is closed too when the tree opened it
 * (PidFd.tree(pid)), not when it was given (pf.descendants(), PidFd.tree(pf)).
 */
export interface ProcessTree extends Disposable {
  readonly root: ProcessTreeNode;
  /** Every node, top down (breadth first): the root first, each parent before its children. */
  readonly nodes: readonly ProcessTreeNode[];
  /** Closes every pidfd the tree owns; closing twice does nothing. */
  close(): void;
}

/** Options of PidFd.killTree(). */
export interface KillTreeOptions {
  /** The first signal, sent to every member; default SIGTERM. */
  signal?: Signal;
  /** Milliseconds to wait for every member to exit after it; default 5000. */
  timeout?: number;
  /** The signal sent to the members that outlive `timeout` (and to their new children); default SIGKILL; null: none. */
  escalate?: Signal | null;
  /** Milliseconds to wait after `escalate`; default `timeout`, at least 1000. */
  escalateTimeout?: number;
  /**
   * Milliseconds to wait, once a member that is not our child has exited, for its parent to reap
   * it, which publishes its status (PidFd.waitAsync()'s `reapGrace`); default 0: a member counts
   * as exited at its exit, and its status is null unless it was reaped by then.
   */
  reapGrace?: number;
}

/** What killTree() / signalTree() did to one member of the tree. */
export interface KilledProcess {
  readonly pid: number;
  readonly id: bigint | null;
  /** Its parent's pid when it was found. */
  readonly ppid: number;
  /** The signals sent to it, by name (the number for a real-time one), SIGSTOP and SIGCONT left out. */
  readonly signals: readonly (string | number)[];
  /** Whether it has exited: seen to exit, or already reaped when signalled (signalTree() does not wait for the others). */
  readonly exited: boolean;
  /** Its exit status, once it exited and the status could be known (see PidFd.waitAsync()), else null. */
  readonly status: ExitStatus | null;
}

const SIGSTOP = signalNumber("SIGSTOP");
const SIGCONT = signalNumber("SIGCONT");
const SIGKILL = signalNumber("SIGKILL");
/** Signals after which the stopped tree is left stopped: SIGKILL needs no SIGCONT, and SIGCONT discards a pending stop signal. */
const NO_CONTINUE = new Set([SIGKILL, SIGSTOP, ...["SIGTSTP", "SIGTTIN", "SIGTTOU"].map((name) => signalNumber(name))]);

/** Whether the kernel has /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN, Linux 3.5). */
let childrenFiles: boolean | undefined;
function hasChildrenFiles(): boolean {
  return (childrenFiles ??= fs.existsSync("/proc/thread-self/children"));
}

/** The state, parent pid and session of a /proc/<pid>/stat line ("pid (comm) state ppid pgrp session ..."). */
export function statFields(stat: string): { state: string; ppid: number; session: number } {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0]!, ppid: Number(fields[1]), session: Number(fields[3]) };
}

/** statFields() of /proc/<pid>/stat (`pid` "self": ours); throws as readFileSync does once it is gone. */
export function procStat(pid: number | "self"): ReturnType<typeof statFields> {
  return statFields(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/**
 * How long freeze() waits for a member sent SIGSTOP to be seen stopped before it goes on
 * regardless (a process in uninterruptible sleep stops only when it wakes): 2000 ms.
 */
export const STOP_WAIT_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The buffer children files are read into: one, reused (the reads are synchronous). */
const readBuffer = Buffer.allocUnsafe(4096);

/**
 * Appends the pids that the children file at `path` lists ("pid pid ... ") to `pids`, read
 * into the reused buffer until its end; false when it cannot be opened (its thread has exited).
 */
function readPidList(path: string, pids: number[]): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch {
    return false;
  }
  try {
    let value = -1;
    for (let got; (got = fs.readSync(fd, readBuffer, 0, readBuffer.length, null)) > 0;) {
      for (let i = 0; i < got; i++) {
        const digit = readBuffer[i]! - 48;
        if (digit >= 0 && digit <= 9) value = (value < 0 ? 0 : value * 10) + digit;
        else if (value >= 0) pids.push(value), (value = -1);
      }
    }
    if (value >= 0) pids.push(value);
  } catch {
    // the thread exited while its file was read: it has no children left
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * The pids that /proc lists as children of the process at `procDir` (pid `pid`): the
 * children files of every thread (each lists the children that thread forked). A process
 * of one thread (its task directory's link count is 3: 2 + its threads, fs/proc/base.c
 * proc_task_getattr) has only its main thread's file, read without listing the directory.
 * Without CONFIG_PROC_CHILDREN, every /proc/<n>/stat whose ppid is `pid`. Unverified: read
 * them through verifiedChildren().
 */
export function childPidsIn(procDir: string, pid: number): number[] {
  if (!hasChildrenFiles()) return scanForChildren(pid);
  const pids: number[] = [];
  const task = fs.statSync(`${procDir}/task`, { throwIfNoEntry: false });
  if (task === undefined) return pids; // gone: the caller's check of the parent says so
  if (task.nlink === 3) {
    readPidList(`${procDir}/task/${pid}/children`, pids);
    return pids;
  }
  let threads: string[];
  try {
    threads = fs.readdirSync(`${procDir}/task`);
  } catch {
    return pids;
  }
  for (const tid of threads) readPidList(`${procDir}/task/${tid}/children`, pids);
  return pids;
}

/**
 * The children the main thread of `pid` forked, or adopted as a subreaper's first live thread (the
 * kernel reparents orphans to it): its own children file; [] without CONFIG_PROC_CHILDREN.
 */
export function mainThreadChildPids(pid: number): number[] {
  const pids: number[] = [];
  if (hasChildrenFiles()) readPidList(`/proc/${pid}/task/${pid}/children`, pids);
  return pids;
}

/** Reads the start of the file at `path` into readBuffer: the byte count, or -1 if it cannot be read. */
function readHead(path: string): number {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch {
    return -1;
  }
  try {
    return fs.readSync(fd, readBuffer, 0, readBuffer.length, 0);
  } catch {
    return -1;
  } finally {
    fs.closeSync(fd);
  }
}

/** The fields of the stat file at `path` after "(comm) ": state first, num_threads 17th; null if it cannot be read. */
function statTail(path: string): string[] | null {
  const got = readHead(path);
  if (got <= 0) return null;
  const stat = readBuffer.toString("latin1", 0, got);
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ", 18);
}

function cannotRun(state: string | undefined): boolean {
  return state === "T" || state === "t" || state === "Z" || state === "X";
}

/**
 * Whether the process `pid` cannot run now: each of its threads stopped (T, t) or dead (Z, X)
 * in /proc/<pid>/task/<tid>/stat (one thread, alive: its /proc/<pid>/stat); a thread that
 * has gone counts as dead. Undefined when /proc has no such process.
 */
export function stoppedNow(pid: number): boolean | undefined {
  const fields = statTail(`/proc/${pid}/stat`);
  if (fields === null) return undefined;
  if (fields[17] === "1" && fields[0] !== "Z") return cannotRun(fields[0]);
  let threads: string[];
  try {
    threads = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  return threads.every((tid) => {
    const thread = statTail(`/proc/${pid}/task/${tid}/stat`);
    return thread === null || cannotRun(thread[0]);
  });
}

/** The pids that /proc lists: every process of its pid namespace (thread-group leaders; threads are not listed). */
function listedPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const first = entry.charCodeAt(0);
    if (first >= 48 && first <= 57) pids.push(Number(entry));
  }
  return pids;
}

/** The fallback without CONFIG_PROC_CHILDREN: every process whose /proc/<n>/stat names `pid` as its parent. */
export function scanForChildren(pid: number): number[] {
  return listedPids().filter((candidate) => {
    try {
      return procStat(candidate).ppid === pid;
    } catch {
      return false; // exited meanwhile
    }
  });
}

/** The parent pid of the process of `pidfd`: PIDFD_GET_INFO (Linux 6.13), else its /proc/<pid>/stat read through accessProc(). */
function parentPid(pidfd: PidFd): number {
  try {
    return pidfd.getPpid();
  } catch (error) {
    if (!(error instanceof PidFdError && error.errno === -EOPNOTSUPP)) throw error;
  }
  return pidfd.accessProc((dir) => statFields(fs.readFileSync(`${dir}/stat`, "utf8")).ppid);
}

/** parentPid(), or 0 once the process has been reaped. */
function parentPidUnlessGone(pidfd: PidFd): number {
  try {
    return parentPid(pidfd);
  } catch (error) {
    if (isGone(error)) return 0;
    throw error;
  }
}

function isGone(error: unknown): boolean {
  return error instanceof PidFdError && error.errno === -ESRCH;
}

/**
 * A pidfd of the process `pid` names now, or null when there is none: ESRCH, or ENOENT when the
 * pid now names a thread of another process (a pid listed in /proc may be reused by a thread).
 */
function openListed(Class: typeof PidFd, pid: number): PidFd | null {
  try {
    return Class.open(pid);
  } catch (error) {
    if (error instanceof PidFdError && (error.errno === -ESRCH || error.errno === -ENOENT)) return null;
    throw error;
  }
}

/** ESRCH: the parent `pid` was reaped (its liveness probe, a signal 0, found it gone) while its children were read. */
function parentGone(pid: number): never {
  fail(-ESRCH, "pidfd_send_signal", `children: process ${pid} exited while its children were read`, pid);
}

/** A child found by openVerified(): its pid (the one it was opened by) and its pidfd. */
interface OpenedChild {
  readonly pid: number;
  readonly pidfd: PidFd;
}

/**
 * The processes among `candidates` that are children of `parent` (whose pid is `pid`): each is
 * opened (pidfd_open), then its parent pid is read through its own pidfd; then, once for all of
 * them, `parent` is checked to be still alive (so that its pid named it when each ppid was
 * read). A candidate that has gone, or whose pid now names a process with another parent, is
 * left out (its pidfd closed). If `parent` itself is gone, every pidfd is closed and ESRCH
 * thrown: its pid may have been reused, and "children of pid" may be a stranger's. When no
 * candidate is a child, `parent` is checked only if `checkParent`: an empty answer is true of
 * a reaped process too. The caller owns the pidfds returned.
 */
function openVerified(parent: PidFd, pid: number, candidates: readonly number[], checkParent: boolean): OpenedChild[] {
  const Class = parent.constructor as typeof PidFd;
  const children: OpenedChild[] = [];
  try {
    for (const candidate of candidates) {
      const child = openListed(Class, candidate);
      if (child === null) continue;
      let ppid: number;
      try {
        ppid = parentPid(child);
      } catch (error) {
        child.close();
        if (isGone(error)) continue;
        throw error;
      }
      // pidfd_open found the process by `candidate`, and a process's pid never changes.
      if (ppid === pid) children.push({ pid: candidate, pidfd: child });
      else child.close();
    }
    if ((checkParent || children.length > 0) && !parent.isAlive()) parentGone(pid);
  } catch (error) {
    for (const child of children) child.pidfd.close();
    throw error;
  }
  return children;
}

/**
 * Pidfds of the processes among `candidates` that are children of `parent` (whose pid is
 * `pid`), each verified as openVerified() does; ESRCH if `parent` has gone. The caller owns the
 * pidfds returned.
 */
export function verifiedChildren(parent: PidFd, pid: number, candidates: readonly number[]): PidFd[] {
  return openVerified(parent, pid, candidates, true).map((child) => child.pidfd);
}

/** See PidFd.children(). */
export function childrenOf(parent: PidFd, simulated: boolean): PidFd[] {
  if (simulated) failIn("children", EOPNOTSUPP, "process trees are read from /proc: they need the real kernel");
  const pid = parent.getPid();
  return verifiedChildren(parent, pid, childPidsIn(`/proc/${pid}`, pid));
}

function idOf(pidfd: PidFd): bigint | null {
  try {
    return pidfd.getId();
  } catch (error) {
    if (error instanceof PidFdError && error.errno === -EOPNOTSUPP) return null;
    throw error;
  }
}

interface MutableNode extends ProcessTreeNode {
  readonly children: ProcessTreeNode[];
}

/** See PidFd.descendants() and PidFd.tree(): `ownsRoot` says whether close() closes the root's pidfd. */
export function treeOf(root: PidFd, ownsRoot: boolean, simulated: boolean): ProcessTree {
  const nodes: MutableNode[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const node of nodes) if (node.pidfd !== root || ownsRoot) node.pidfd.close();
  };
  if (simulated) failIn("children", EOPNOTSUPP, "process trees are read from /proc: they need the real kernel");
  try {
    const top: MutableNode = { pid: root.getPid(), id: idOf(root), ppid: parentPidUnlessGone(root), pidfd: root, children: [] };
    nodes.push(top);
    if (!(headsNamespace(top) && addScannedDescendants(nodes))) addReadDescendants(nodes);
  } catch (error) {
    close();
    throw error;
  }
  return { root: nodes[0]!, nodes, close, [Symbol.dispose]: close };
}

/**
 * Whether `node` is init (pid 1) or kthreadd (pid 2 with ppid 0) of our pid namespace, still
 * alive: its tree is all or much of the machine, cheaper to read from one scan of /proc. (Any
 * process that entered the namespace from outside, by setns(2), has ppid 0 too, and may head a
 * tree of one.)
 */
function headsNamespace(node: MutableNode): boolean {
  return node.ppid === 0 && (node.pid === 1 || node.pid === 2) && node.pidfd.isAlive();
}

/** Adds `child` (opened by `pid`, verified a child of `parent`) under `parent`; false, its pidfd closed, if it has been reaped since. */
function addNode(nodes: MutableNode[], parent: MutableNode, pid: number, pidfd: PidFd): boolean {
  let id: bigint | null;
  try {
    id = idOf(pidfd);
  } catch (error) {
    pidfd.close();
    if (isGone(error)) return false;
    throw error;
  }
  const child: MutableNode = { pid, id, ppid: parent.pid, pidfd, children: [] };
  parent.children.push(child);
  nodes.push(child);
  return true;
}

/**
 * Adds every descendant of `nodes[0]` (the root, alone in it) to `nodes`, top down, each
 * member's children read from its children files and verified (openVerified()).
 */
function addReadDescendants(nodes: MutableNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    let children: OpenedChild[];
    try {
      // The root must still be alive when its children have been read; a member found empty
      // of children needs no check: a process that has gone has none either.
      children = openVerified(node.pidfd, node.pid, childPidsIn(`/proc/${node.pid}`, node.pid), i === 0);
    } catch (error) {
      if (i > 0 && isGone(error)) continue; // exited during the walk: it stays, its children went to its reaper
      throw error;
    }
    for (const { pid, pidfd } of children) addNode(nodes, node, pid, pidfd);
  }
}

/**
 * Pids that the scan for the tree of `rootPid` (init or kthreadd) need not open: for init's, pid
 * 2 and the children /proc lists for it, when its parent too is outside the namespace (and it
 * still lives after the list was read): in the initial pid namespace, kthreadd and the kernel's
 * threads, often most of the machine. A process of ppid 0 tops a tree of its own, apart from the
 * root's, and so do its children; a process that takes one of these pids later was born during
 * the walk.
 */
function apartFrom(rootPid: number, Class: typeof PidFd): Set<number> {
  const apart = new Set<number>();
  if (rootPid === 2) return apart;
  const other = openListed(Class, 2);
  if (other === null) return apart;
  try {
    if (parentPidUnlessGone(other) !== 0) return apart;
    const pids = [2];
    readPidList("/proc/2/task/2/children", pids);
    if (other.isAlive()) for (const pid of pids) apart.add(pid);
    return apart;
  } finally {
    other.close();
  }
}

/**
 * Adds every descendant of `nodes[0]` (the root, alone in it) to `nodes`, top down, from one
 * scan of /proc: for init or kthreadd (headsNamespace()), whose tree is all or much of the
 * machine, this costs three syscalls a process (pidfd_open, the ppid, then the id or close)
 * where the children files cost about nine a member. Every process /proc lists is opened
 * (pidfd_open), then, once all are open, each one's parent pid is read through its own pidfd;
 * then, top down, each process with children is checked to be still alive (the root always),
 * so that its pid, held by it from before the first ppid was read until after the last, named it
 * when each of its children's ppid was read. A member that exited stays in the tree without its
 * subtree (which went to its reaper), as in the walk of children files; a reaped root is ESRCH.
 * The processes apartFrom() names are not opened; the pidfds of the others outside the tree are
 * closed. False, with nothing added and every pidfd it opened closed, when the fd limit cannot
 * hold a pidfd of every process at once (EMFILE, ENFILE): the children files hold only the
 * members'.
 */
function addScannedDescendants(nodes: MutableNode[]): boolean {
  const root = nodes[0]!;
  const Class = root.pidfd.constructor as typeof PidFd;
  const apart = apartFrom(root.pid, Class);
  const opened: OpenedChild[] = [];
  const byParent = new Map<number, OpenedChild[]>();
  const taken = new Set<PidFd>();
  try {
    for (const pid of listedPids()) {
      if (pid === root.pid || apart.has(pid)) continue;
      let pidfd: PidFd | null;
      try {
        pidfd = openListed(Class, pid);
      } catch (error) {
        if (error instanceof PidFdError && (error.errno === -EMFILE || error.errno === -ENFILE)) return false;
        throw error;
      }
      if (pidfd !== null) opened.push({ pid, pidfd });
    }
    for (const child of opened) {
      const ppid = parentPidUnlessGone(child.pidfd);
      const siblings = byParent.get(ppid);
      if (siblings) siblings.push(child);
      else byParent.set(ppid, [child]);
    }
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const children = byParent.get(node.pid);
      if ((i === 0 || children !== undefined) && !node.pidfd.isAlive()) {
        if (i === 0) parentGone(node.pid);
        continue;
      }
      for (const { pid, pidfd } of children ?? []) if (addNode(nodes, node, pid, pidfd)) taken.add(pidfd);
    }
    return true;
  } finally {
    for (const { pidfd } of opened) if (!taken.has(pidfd)) pidfd.close();
  }
}

/** One member of a tree being stopped. */
interface Member {
  readonly pid: number;
  readonly id: bigint | null;
  readonly ppid: number;
  readonly pidfd: PidFd;
  /** Whether the kill opened this pidfd (and so closes it). */
  readonly owned: boolean;
  readonly signals: number[];
  /** SIGSTOP sent, and not undone by a SIGCONT of ours. */
  stopSent: boolean;
  /** Seen stopped (or exited) in /proc since SIGSTOP: it cannot fork until continued. */
  stopped: boolean;
  /** Its children were read once it was seen stopped: only a CLONE_PARENT from a child not stopped yet can add one. */
  complete: boolean;
  gone: boolean;
  exited: boolean;
  status: ExitStatus | null;
}

/**
 * The members of the trees under `roots`, stopped (SIGSTOP) top down, so that the trees no
 * longer grow: a process with a SIGSTOP pending cannot fork (copy_process gives up while a
 * signal is pending, kernel/fork.c), and its children are read only once it has been sent.
 */
class StoppedTrees {
  readonly members: Member[] = [];
  readonly #known = new Map<number, Member>();
  readonly #simulated: boolean;
  /** A freeze() has stopped members that no signal() has acted on yet: close() continues them. */
  #frozen = false;

  constructor(roots: readonly PidFd[], simulated: boolean, method: "signalTree" | "killTree") {
    this.#simulated = simulated;
    for (const root of roots) {
      if (root.closed || !root.isAlive()) continue;
      let pid: number;
      try {
        pid = root.getPid();
      } catch (error) {
        if (isGone(error)) continue;
        throw error;
      }
      refuseOwnAncestry(root, pid, method);
      if (!this.#known.has(pid)) this.#add({ pid, id: idOf(root), ppid: parentPidUnlessGone(root), pidfd: root, owned: false });
    }
  }

  #add(found: Pick<Member, "pid" | "id" | "ppid" | "pidfd" | "owned">): Member {
    const member: Member = { ...found, signals: [], stopSent: false, stopped: false, complete: false, gone: false, exited: false, status: null };
    this.members.push(member);
    this.#known.set(member.pid, member);
    return member;
  }

  /**
   * Stops every member not stopped yet and takes in their children (stopped in turn), passing
   * over the members until each was seen stopped before its children were read, then once more
   * over all of them, until such a pass finds no new process. Only a stopped process's children are complete: a fork
   * that had begun before SIGSTOP arrived still completes (kernel/fork.c copy_process gives up
   * only for a signal pending at its start, or a fatal one), adding a child after the signal
   * was sent; once the parent is stopped, no fork is under way. A pass also catches what the
   * first cannot see (a clone with CLONE_PARENT adds a child to a parent already read).
   */
  freeze(): void {
    this.#frozen = true;
    const deadline = Date.now() + STOP_WAIT_MS;
    let confirming = false;
    for (;;) {
      let grew = false;
      let running = false;
      for (let i = 0; i < this.members.length; i++) {
        const member = this.members[i]!;
        if (member.gone || (member.complete && !confirming)) continue;
        if (!member.stopSent) {
          if (!this.#send(member, SIGSTOP)) continue;
          member.stopSent = true; // not seen stopped in this pass: it has not run since
        } else if (!member.stopped) {
          member.stopped = this.#seenStopped(member);
        }
        if (member.gone) continue;
        grew = this.#takeChildren(member) || grew;
        if (member.stopped) member.complete = true;
        else running = true;
      }
      if (grew || running) {
        confirming = false;
        if (!grew && Date.now() > deadline) return;
        if (!grew) Atomics.wait(pause, 0, 0, 1); // let the members reach their stop
      } else if (confirming) {
        return; // every member stopped, and a pass over all of them found nothing new
      } else {
        confirming = true;
      }
    }
  }

  /**
   * Whether the member cannot run now (stoppedNow()). What is read needs no check that the pid
   * still names the member: a member that has been reaped cannot fork either, and its pidfd
   * says so when it is signalled.
   */
  #seenStopped(member: Member): boolean {
    const stopped = stoppedNow(member.pid);
    if (stopped !== undefined) return stopped;
    if (!member.pidfd.isAlive()) member.gone = true;
    return member.gone;
  }

  /**
   * Takes in the member's children not known yet: the pids that /proc lists, but for those of
   * members still alive (a pid cannot name another process while its holder lives), each
   * opened and verified (openVerified()).
   */
  #takeChildren(member: Member): boolean {
    if (this.#simulated) failIn("children", EOPNOTSUPP, "process trees are read from /proc: they need the real kernel");
    const candidates = childPidsIn(`/proc/${member.pid}`, member.pid).filter((pid) => {
      const known = this.#known.get(pid);
      if (known === undefined || known.gone) return true;
      if (known.pidfd.isAlive()) return false;
      known.gone = true;
      return true;
    });
    if (candidates.length === 0) return false;
    let children: OpenedChild[];
    try {
      children = openVerified(member.pidfd, member.pid, candidates, false);
    } catch (error) {
      if (isGone(error)) return (member.gone = true), false;
      throw error;
    }
    let grew = false;
    for (const { pid, pidfd } of children) {
      try {
        pidfd.reaping = "reap"; // a member orphaned to us (a subreaper) is reaped by its wait
        this.#add({ pid, id: idOf(pidfd), ppid: member.pid, pidfd, owned: true });
        grew = true;
      } catch (error) {
        pidfd.close();
        if (!isGone(error)) throw error;
      }
    }
    return grew;
  }

  /** pidfd_send_signal to one member: false (and the member marked gone) once it has been reaped. */
  #send(member: Member, sig: number): boolean {
    // Marked before the SIGSTOP: continued by the sweep if this thread ends first (a stray SIGCONT
    // is harmless); after the signal, so that the sweep sends it only to those not sent it yet.
    if (sig === SIGSTOP) markTreeMember(member.pidfd.fd, "stopped");
    try {
      member.pidfd.sendSignal(sig);
    } catch (error) {
      if (isGone(error)) return (member.gone = true), false;
      throw error;
    }
    if (sig !== SIGSTOP && sig !== SIGCONT) {
      member.signals.push(sig);
      markTreeMember(member.pidfd.fd, "signalled");
    } else if (sig === SIGCONT) {
      markTreeMember(member.pidfd.fd, "done");
    }
    return true;
  }

  /**
   * Sends `sig` to every member still there, then SIGCONT (unless `sig` is SIGKILL or a stop
   * signal) so that the stopped members act on it. A stopped process whose action for `sig` is the default
   * termination dies at once, stopped as it is (kernel/signal.c complete_signal).
   */
  signal(sig: number): void {
    const continues = !NO_CONTINUE.has(sig);
    treeSignal(sig, continues); // a sweep after this thread's end finishes the kill
    try {
      for (const member of this.members) if (!member.gone && !member.exited) this.#send(member, sig);
      this.#frozen = false;
      if (!continues) {
        for (const member of this.members) markTreeMember(member.pidfd.fd, "done"); // left stopped (or killed) on purpose
        return;
      }
      for (const member of this.members) {
        if (!member.gone && !member.exited && this.#send(member, SIGCONT)) member.stopSent = member.stopped = member.complete = false;
      }
    } finally {
      treeSignal(0, false);
    }
  }

  /** Waits up to `ms` for every member still there to exit (waitAsync: reaps our children, PIDFD_INFO_EXIT for the others). */
  async waitAll(ms: number, reapGrace: number): Promise<void> {
    await Promise.all(this.members.map(async (member) => {
      if (member.exited || member.gone || member.pidfd.closed) return;
      try {
        member.status = await member.pidfd.waitAsync({ timeout: ms, reapGrace });
        member.exited = true;
      } catch (error) {
        if (!(error instanceof PidFdError && error.errno === -ETIMEDOUT)) throw error;
      }
    }));
  }

  /**
   * Waits, blocking, for each member still there, top down, reaping those that are children of
   * ours (`reaping` "reap"): a member reparented to us (a subreaper) is, by the time its parent's
   * exit is seen. The others are their parents' (or init's) to reap. Only after SIGKILL.
   */
  reapChildren(): void {
    for (const member of this.members) {
      if (member.exited || member.gone || member.pidfd.closed) continue;
      member.pidfd.reaping = "reap";
      try {
        member.status = member.pidfd.wait();
        member.exited = true;
      } catch (error) {
        if (!(error instanceof PidFdError && error.errno === -ECHILD)) throw error;
      }
    }
  }

  /** Whether a member may still run. */
  get anyLeft(): boolean {
    return this.members.some((member) => !member.exited && !member.gone);
  }

  /** The per-process results. */
  results(): KilledProcess[] {
    return this.members.map((m) => ({
      pid: m.pid, id: m.id, ppid: m.ppid, signals: m.signals.map((sig) => signalName(sig) ?? sig),
      exited: m.exited || m.gone, status: m.status,
    }));
  }

  /** Closes the pidfds the kill opened; after a failure between freeze() and signal(), first continues what it stopped. */
  close(): void {
    if (this.#frozen) {
      for (const member of this.members) {
        if (!member.stopSent || member.gone || member.pidfd.closed) continue;
        try {
          member.pidfd.sendSignal(SIGCONT);
        } catch {
          // gone meanwhile, or not ours to continue: the failure that brought us here is what the caller sees
        }
        markTreeMember(member.pidfd.fd, "done");
      }
    }
    for (const member of this.members) if (member.owned) member.pidfd.close();
  }
}

/**
 * EINVAL when `root` (pid `pid`) is this process or one of its ancestors: stopping that tree
 * would stop this process before it could signal the rest.
 */
function refuseOwnAncestry(root: PidFd, pid: number, method: string): void {
  for (let current = process.pid, depth = 0; current > 0 && depth < 4096; depth++) {
    if (current === pid) {
      if (!root.isAlive()) return;
      failIn(method, EINVAL, `process ${pid} is this process or one of its ancestors`, pid);
    }
    try {
      current = procStat(current).ppid;
    } catch {
      return;
    }
  }
}

/** See PidFd.signalTree(): the trees under `roots`, stopped, then sent `sig` (and SIGCONT); nothing waited for. */
export function signalTrees(roots: readonly PidFd[], sig: number, simulated: boolean): KilledProcess[] {
  if (simulated) failIn("signalTree", EOPNOTSUPP, "process trees are read from /proc: they need the real kernel");
  const trees = new StoppedTrees(roots, simulated, "signalTree");
  try {
    trees.freeze();
    trees.signal(sig);
    return trees.results();
  } finally {
    trees.close();
  }
}

/**
 * SIGKILLs the trees under `roots` at once (stopped first, as signalTrees() does) and waits for
 * every member that is, or becomes, a child of ours, reaping it (reapChildren()): for what an
 * ended thread leaves (threads.ts), synchronously, so no zombie stays behind.
 */
export function killTreesNow(roots: readonly PidFd[]): void {
  const trees = new StoppedTrees(roots, false, "killTree");
  try {
    trees.freeze();
    trees.signal(SIGKILL);
    trees.reapChildren();
  } finally {
    trees.close();
  }
}

/** See PidFd.killTree(). */
export async function killTrees(roots: readonly PidFd[], first: number, timeout: number, escalate: number | null,
  escalateTimeout: number, reapGrace: number, simulated: boolean): Promise<KilledProcess[]> {
  if (simulated) failIn("killTree", EOPNOTSUPP, "process trees are read from /proc: they need the real kernel");
  const trees = new StoppedTrees(roots, simulated, "killTree");
  try {
    trees.freeze();
    trees.signal(first);
    await trees.waitAll(timeout, reapGrace);
    if (escalate !== null && trees.anyLeft) {
      trees.freeze(); // what the first signal's handlers forked joins the tree, stopped
      trees.signal(escalate);
      await trees.waitAll(escalateTimeout, reapGrace);
    }
    return trees.results();
  } finally {
    trees.close();
  }
}
