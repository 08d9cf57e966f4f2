// spawn(): starts a process with posix_spawnp (no fork of Node) and holds it by a pidfd from
// the start. The child is ours alone: libuv never reaps it, our waitid does.
import fs from "node:fs";
import type net from "node:net";
import path from "node:path";
import { Stream, type Duplex, type Readable, type Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import util from "node:util";
import { isMainThread } from "node:worker_threads";
import { F_DUPFD_CLOEXEC, F_GETFL, F_SETFL, SIGKILL } from "./constants.js";
import { EACCES, ENOENT, ENOTDIR, EOPNOTSUPP, EPERM } from "./errno.js";
import { abortError, checkAbortSignal, checkInt, invalidArg, PidFdError } from "./errors.js";
import type { ExitStatus } from "./exit_status.js";
import { lifecycleOf, PidFd } from "./pidfd.js";
import { kernelCore } from "./runtime.js";
import { SIGNALS, signalNumber, type Signal } from "./signals.js";
import type { Core } from "./core.js";
import type { InProgressCells } from "./ownership.js";
import type { FileAction, ProcessSyscalls } from "./sys/syscalls.js";
import { holdSpawnFds, letGo, onTreesLeft, spawnCells, spawnSettled } from "./threads.js";
import { childPidsIn, killTrees, killTreesNow, mainThreadChildPids, procStat, signalTrees, statFields } from "./tree.js";
import { checkNoHoles, checkOptions, ownValue, type OptionTypes } from "./validate.js";

/**
 * What one of the child's fds is: a new pipe ("pipe"; "overlapped" is the same, as in
 * child_process on Linux), the same fd of ours ("inherit"), /dev/null ("ignore"), a given fd of
 * ours, or the fd of a stream of ours (process.stdout, a net.Socket, an fs stream once open).
 */
export type StdioOption = "pipe" | "overlapped" | "inherit" | "ignore" | number | Stream;

/** Options of spawn(): those of child_process.spawn that mean something on Linux (docs/api.md has the table). */
export interface SpawnOptions {
  /** The child's working directory (a path or a file: URL); default ours. */
  cwd?: string | URL;
  /** The child's environment; default process.env. Its PATH is the one `file` is looked up in. */
  env?: NodeJS.ProcessEnv;
  /** argv[0] as the child sees it; default `file` (the shell, with `shell`). */
  argv0?: string;
  /**
   * fds 0, 1, 2 (and more, for an array): default "pipe" for each of 0-2. An array entry that is
   * undefined or null is that fd's default ("pipe" for 0-2, "ignore" above), as in child_process;
   * a hole (a sparse array) is refused.
   */
  stdio?: "pipe" | "overlapped" | "inherit" | "ignore" | readonly (StdioOption | null | undefined)[];
  /** Start the child in a new session (setsid): no controlling terminal, its own process group. */
  detached?: boolean;
  /** The child's user id (setuid), through setpriv(1): see docs/api.md. */
  uid?: number;
  /** The child's group id (setgid), through setpriv(1): see docs/api.md. */
  gid?: number;
  /** Run `file` and `args`, joined by spaces, as a command line of /bin/sh -c (true) or of this shell. */
  shell?: boolean | string;
  /** Aborting it sends `killSignal` to the child. */
  signal?: AbortSignal;
  /** The signal `signal`, `timeout` and `await using` send; default SIGTERM. */
  killSignal?: Signal;
  /** Milliseconds after which the child is sent `killSignal`; 0 (the default): never. */
  timeout?: number;
  /**
   * kill(), `timeout`, `signal` and `await using` act on the child's whole tree (PidFd.signalTree(),
   * PidFd.killTree()), not on the child alone; close() SIGKILLs the tree. See docs/api.md, "Process trees".
   */
  killTree?: boolean;
  /**
   * Make this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER, Linux 3.4) so that the
   * child's orphaned descendants are reparented to us rather than to init: they are adopted
   * (known by their session: the child starts a session of its own, as with `detached`, which
   * may not be false), reaped when they exit (never left as zombies), and with `killTree` are
   * part of the tree. Subreaping is a property of the whole process and stays on: see docs/api.md.
   * "all": the same, and every other orphan that comes back to us, outside our own session, is
   * adopted into this child's tree too, whatever its session (a daemon's setsid): for a process
   * that supervises this one command (`pidfd run --kill-tree`), with no `child_process` child in
   * a session of its own. The latest such child takes them. On the main thread only (ENOTSUP in
   * a worker).
   */
  subreaper?: boolean | "all";
  /** Windows only: accepted and, as in child_process on Linux, without effect. */
  windowsHide?: boolean;
  /** Windows only: accepted and, as in child_process on Linux, without effect. */
  windowsVerbatimArguments?: boolean;
}

let netModule: typeof net | undefined;
/** node:net, loaded on first use (a pipe to a child): importing the package or starting the CLI does not load it. */
function netSockets(): typeof net {
  return netModule ??= process.getBuiltinModule("node:net");
}

const SPAWN_OPTIONS: OptionTypes = {
  cwd: "checked", env: "object", argv0: "string", stdio: "checked", detached: "boolean", uid: "number", gid: "number",
  shell: "checked", signal: "checked", killSignal: "checked", timeout: "number", killTree: "boolean", subreaper: "checked", windowsHide: "boolean",
  windowsVerbatimArguments: "boolean",
};

/** A process started by spawn(). */
export interface Subprocess extends Disposable, AsyncDisposable {
  /** The child's pid (in our pid namespace). */
  readonly pid: number;
  /**
   * The child's pidfd. The Subprocess owns it: it reaps the child through it and releases the fd
   * at the reap, so that no fd is held per exited child. The PidFd keeps answering afterwards, as
   * for a reaped process: every wait gives the status, sendSignal ESRCH, isAlive() false, getId()
   * the id (docs/api.md, "Waiting"). Closing it is closing the Subprocess.
   */
  readonly pidfd: PidFd;
  /** The write end of the child's stdin pipe ("pipe"), else null. Destroyed when the child exits. */
  readonly stdin: Writable | null;
  /** The read end of the child's stdout pipe ("pipe"), else null. */
  readonly stdout: Readable | null;
  /** The read end of the child's stderr pipe ("pipe"), else null. */
  readonly stderr: Readable | null;
  /** Our end of each of the child's fds that is "pipe" (a socket, both ways, above fd 2), else null. */
  readonly stdio: readonly (Readable | Writable | Duplex | null)[];
  /** The program started: `file`, or the shell with `shell`. */
  readonly spawnfile: string;
  /** Its argv, argv[0] included, as child_process's spawnargs. */
  readonly spawnargs: readonly string[];
  /** The exit code once `exited` has resolved and the child exited by itself, else null. */
  readonly exitCode: number | null;
  /** The name of the signal that killed the child once `exited` has resolved (null for a real-time signal), else null. */
  readonly signalCode: NodeJS.Signals | null;
  /** Whether kill() (or `signal`, `timeout`) has sent the child a signal. */
  readonly killed: boolean;
  /**
   * Resolves once, with the exit status, when the child has exited and been reaped
   * (waitid(P_PIDFD), Linux 5.4; readiness from the event loop), by this promise's own watch or
   * by any wait on `pidfd`: always the same status. A kill by `signal` or `timeout` resolves it
   * too, with that signal. Keeps the event loop alive while the child runs, unless unref().
   * Rejects (ECHILD) only if something else in this process reaped the child (waitid(P_ALL))
   * and the kernel kept no status (before Linux 6.15).
   */
  readonly exited: Promise<ExitStatus>;
  /**
   * Sends a signal (default SIGTERM) through the pidfd (pidfd_send_signal, Linux 5.1): it can
   * never reach another process that reused the pid. Returns whether it was sent: false once the
   * child has been reaped, or the Subprocess closed.
   * @throws {TypeError|RangeError} for an unknown signal.
   */
  kill(signal?: Signal): boolean;
  /** Lets the event loop exit while the child runs (its `exited` then resolves only if the loop runs on). */
  unref(): void;
  /** Undoes unref(): the child's exit keeps the event loop alive again. */
  ref(): void;
  /**
   * Releases what the Subprocess holds: a child that still runs is killed (SIGKILL) and reaped
   * first (a blocking waitid, brief for a SIGKILLed process), so that it never stays a zombie;
   * then the pidfd is closed and the stdio streams destroyed. `exited` resolves with the status.
   * Closing twice does nothing.
   */
  close(): void;
  /**
   * `await using`: a child that still runs is sent `killSignal` and given 5 s to exit, then
   * SIGKILL (PidFd.terminate()); once it has exited and been reaped, close().
   */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `file` with `args`, through posix_spawnp(3) (addchdir_np for `cwd`, glibc 2.29: without
 * it `cwd` is ENOTSUP), and opens its pidfd (pidfd_open, Linux 5.3) before anything can reap it.
 * A `file` without a slash is looked up in the child's PATH, as execvp does: that of
 * `options.env` when given (else /usr/bin:/bin), else ours.
 *
 * The child starts with every signal at its default disposition and none blocked (Node ignores
 * SIGPIPE and SIGXFSZ, glibc's posix_spawn would leave its internal signals 32 and 33 ignored: the
 * child inherits none of that), with exactly the fds of `stdio` (every other fd is closed:
 * closefrom, glibc 2.34, else one close action per fd open at the time), and, with `detached`, in a
 * new session. Every fd created here is O_CLOEXEC. An fd of ours given as the child's fd 0, 1 or 2
 * ("inherit", a number or a stream) is made blocking first
 * (O_NONBLOCK cleared on the file description both share), as Node's child_process does. `uid`
 * and `gid` go through setpriv(1) (util-linux), which sets them and execs the program: the pid,
 * and so the pidfd, is the program's (docs/api.md).
 *
 * Errors are thrown synchronously, with no process and no fd left behind: a missing `file`
 * (ENOENT), one that is not executable (EACCES), a bad `cwd` (ENOENT or ENOTDIR, with the cwd
 * named in the message), too many open fds (EMFILE) are PidFdErrors with `syscall`
 * "posix_spawnp" (or "pipe2", "socketpair", "fcntl", "pidfd_open") and Node's `code`/negative
 * `errno`; a bad stdio fd is EBADF naming its `stdio[i]`. An `options.signal` that is already
 * aborted throws AbortError and starts nothing. Bad arguments, unknown options included, throw
 * TypeError/RangeError with Node's codes.
 */
export function spawn(file: string, args: readonly string[] = [], options: SpawnOptions = {}): Subprocess {
  return spawnOn(kernelCore(), file, args, options);
}

/** The PidFd class of each core that spawnOn() has used (PidFd itself for the real kernel). */
const pidfdClasses = new WeakMap<Core, typeof PidFd>();

/**
 * spawn() through `core`'s backend (`core.process` for posix_spawnp, pipes and fcntl, the core
 * for the pidfd): a tracing backend logs the spawn, a policy backend may refuse it (EPERM, and
 * nothing is started).
 */
export function spawnOn(core: Core, file: string, args: readonly string[] = [], options: SpawnOptions = {}): Subprocess {
  const plan = planSpawn(file, args, options);
  if (plan.signal?.aborted) throw abortError(plan.signal);
  const program = programOf(plan);
  const sys = core.process;
  let Pidfd = pidfdClasses.get(core);
  if (!Pidfd) pidfdClasses.set(core, (Pidfd = core === kernelCore() ? PidFd : PidFd.on(core)));
  if (plan.subreaper) becomeSubreaper(sys);
  // In a worker, what a terminate() landing in here would strand is recorded for its sweeper
  // (threads.ts): each pipe end as it is made, the child's pid as posix_spawnp writes it.
  const cells = core.simulated ? undefined : spawnCells(plan.killTree);
  const held = cells !== undefined;
  const stdio = openStdio(sys, core.exports.o_cloexec() >>> 0, plan.stdio, cells);
  let pid = -1;
  try {
    const actions = stdio.actions;
    actions.push({ closeFrom: Math.max(3, plan.stdio.length) });
    if (plan.cwd !== undefined) actions.push({ chdir: plan.cwd });
    pid = sys.spawn({ file: program.file, argv: program.argv, envp: plan.envp, actions, setsid: plan.detached, pidTo: cells?.pid });
    if (pid < 0) throw spawnError(-pid, plan.file, plan.cwd);
  } finally {
    closeAll(sys, stdio.childEnds, held);
    if (pid < 0) closeAll(sys, stdio.parentEnds, held);
  }
  let pidfd: PidFd | undefined;
  try {
    pidfd = Pidfd.open(pid);
    const child = new SpawnedProcess(pid, pidfd, stdio.parentEnds, plan, core.simulated);
    spawnSettled(cells); // its pidfd is marked "child" (superviseChild)
    return child;
  } catch (error) {
    // Still unreaped, so the pid is still our child: kill and reap it by pid.
    sys.kill(pid, SIGKILL);
    spawnSettled(cells); // before the reap frees the pid
    sys.reap(pid);
    pidfd?.close();
    closeAll(sys, stdio.parentEnds, held);
    throw error;
  }
}

/** Closes each fd of `fds` that is one (>= 0), letting go of it first when `held` (holdSpawnFds()). */
function closeAll(sys: ProcessSyscalls, fds: readonly number[], held: boolean): void {
  for (let i = 0; i < fds.length; i++) {
    const fd = fds[i]!;
    if (fd < 0) continue;
    if (held) letGo(fd);
    sys.close(fd);
  }
}

/** Whether this thread has made the process a child subreaper: it stays one (docs/api.md, "Process trees"). */
let subreaper = false;

/** prctl(PR_SET_CHILD_SUBREAPER, 1), once: a PidFdError (syscall "prctl") when refused. */
function becomeSubreaper(sys: ProcessSyscalls): void {
  if (subreaper) return;
  const rc = sys.setChildSubreaper(true);
  if (rc < 0) throw new PidFdError({ errno: -rc, syscall: "prctl", detail: "PR_SET_CHILD_SUBREAPER (options.subreaper)" });
  subreaper = true;
}

/**
 * The sessions of the children spawned with `subreaper` (each child leads its own), each with
 * whether that child kills its tree (`killTree`): a child of ours in one of them is an orphan of
 * that tree. Kept for the life of the thread (a number each), so that an orphan that comes back
 * to us late, even a zombie, is still reaped.
 */
const orphanSessions = new Map<number, boolean>();
/**
 * The latest child spawned with `subreaper: "all"`, by its session: the tree that takes every
 * orphan outside the sessions above and outside ours. Kept for the life of the thread too.
 */
let everyOrphanTo: number | undefined;
/** The pids of the children spawn() started that are not reaped yet: children of ours, never orphans. */
const spawnedChildren = new Set<number>();
/** The orphans adopted, by pid: each supervised (reaped at its exit) by its pidfd; `session` names its tree. */
const adopted = new Map<number, { pidfd: PidFd; session: number }>();

/**
 * Takes in the children of ours (orphans reparented to us, a subreaper) that are in the session
 * of a child spawned with `subreaper`, and with `subreaper: "all"` every other one outside our
 * own session that spawn() did not start: each pid is opened, then its parent (us) and session
 * are read through the pidfd (accessProc), so that neither a stranger nor a child of ours from
 * elsewhere is taken. Each is supervised as a spawned child is: reaped when it exits, without
 * keeping the event loop alive. Runs on SIGCHLD (the kernel sends it when an orphan, even a
 * zombie, is reparented to us), at each child's exit, and before a tree kill.
 */
function adoptOrphans(Class: typeof PidFd): void {
  // Again after a pass that adopted one: an orphan listed before its session's leader was adopted.
  while (adoptionPass(Class));
}

/** One scan of our children for adoptOrphans(): whether it adopted any. */
function adoptionPass(Class: typeof PidFd): boolean {
  let ownSession: number | undefined;
  let mainThreadChildren: number[] | undefined;
  let adoptedAny = false;
  for (const pid of childPidsIn("/proc/self", process.pid)) {
    if (adopted.has(pid) || spawnedChildren.has(pid)) continue; // adopted, or a child spawn() started
    const child = openChildOfOurs(Class, pid);
    if (!child) continue;
    const { pidfd, session } = child;
    // In a child's session, or in the session of an orphan adopted already (a daemon's own children): that tree.
    let tree = orphanSessions.has(session) ? session : adopted.get(session)?.session;
    if (tree === undefined && everyOrphanTo !== undefined) {
      // Orphans come to the main thread; a worker's children are its own thread's (and its spawn()
      // children are in its own spawnedChildren). Not a child_process child of our session.
      ownSession ??= procStat("self").session;
      mainThreadChildren ??= mainThreadChildPids(process.pid);
      if (session !== ownSession && mainThreadChildren.includes(pid) && !ledByAnotherChild(session, pid)) tree = everyOrphanTo;
    }
    if (tree === undefined) {
      pidfd.close();
      continue;
    }
    adopted.set(pid, { pidfd, session: tree });
    adoptedAny = true;
    const life = lifecycleOf(pidfd);
    life.superviseChild(pidfd, orphanSessions.get(tree) === true).catch(() => {}).finally(() => {
      adopted.delete(pid);
      pidfd.close();
    });
    life.referenceChild(false);
  }
  return adoptedAny;
}

/**
 * A PidFd for `pid` if it is a child of ours (its parent, read through the pidfd with
 * accessProc, is this process), with its session; undefined when it is not, or is gone.
 */
function openChildOfOurs(Class: typeof PidFd, pid: number): { pidfd: PidFd; session: number } | undefined {
  let pidfd: PidFd;
  try {
    pidfd = Class.open(pid);
  } catch {
    return undefined; // reaped meanwhile
  }
  try {
    const fields = pidfd.accessProc((dir) => statFields(fs.readFileSync(`${dir}/stat`, "latin1")));
    if (fields.ppid === process.pid) return { pidfd, session: fields.session };
  } catch {
    // reaped meanwhile
  }
  pidfd.close();
  return undefined;
}

/**
 * For the cleanup after an ended thread (threads.ts): SIGKILLs the trees of its `killTree`
 * children `pids` (unreaped children of ours), with every other child of ours in their sessions
 * when they lead their own (the orphans of a `subreaper` tree, adopted or not yet), and reaps
 * every member that is, or becomes, a child of ours; again over what came back to us meanwhile.
 */
function killTreesLeftBy(pids: readonly number[]): void {
  const ownSession = procStat("self").session;
  const sessions = new Set<number>();
  let roots = pids.map((pid) => openChildOfOurs(PidFd, pid)).filter((child) => child !== undefined).map(({ pidfd, session }) => {
    if (session !== ownSession) sessions.add(session);
    return pidfd;
  });
  while (roots.length > 0) {
    try {
      killTreesNow(roots);
    } finally {
      for (const root of roots) root.close();
    }
    roots = [];
    if (sessions.size === 0) break;
    for (const pid of childPidsIn("/proc/self", process.pid)) {
      if (spawnedChildren.has(pid)) continue; // this thread's own
      const child = openChildOfOurs(PidFd, pid);
      if (child && sessions.has(child.session)) roots.push(child.pidfd);
      else child?.pidfd.close();
    }
  }
}

onTreesLeft(killTreesLeftBy);

/**
 * Whether the session of the orphan `pid` is led by another child of ours: a worker's `subreaper`
 * child, a detached child's. Its orphans are that tree's, not the "all" child's. (A session's id
 * is its leader's pid, which cannot be reused while the session has a member.)
 */
function ledByAnotherChild(session: number, pid: number): boolean {
  if (session === pid) return false; // the orphan leads a session of its own: a daemon's setsid
  try {
    return procStat(session).ppid === process.pid;
  } catch {
    return false; // the leader is gone
  }
}

/** The adopted orphans of the session `session`. */
function orphansOf(session: number): PidFd[] {
  return [...adopted.values()].filter((orphan) => orphan.session === session).map((orphan) => orphan.pidfd);
}

const adoptOnSigchld = (): void => adoptOrphans(PidFd);

/** Registers the session of a child spawned with `subreaper`; the first one installs the SIGCHLD listener. */
function watchOrphans(child: SpawnedProcess, every: boolean, killTree: boolean): void {
  orphanSessions.set(child.pid, killTree);
  if (every) everyOrphanTo = child.pid;
  // Node's signal handles do not keep the event loop alive; a worker gets no signals.
  if (orphanSessions.size === 1 && isMainThread) process.on("SIGCHLD", adoptOnSigchld);
}

/** What one child fd gets: a new pipe, /dev/null, or a copy of an fd of ours. */
type StdioSource = "pipe" | "ignore" | number;

interface SpawnPlan {
  /** The program: `file`, or the shell. */
  file: string;
  /** Its arguments after argv[0]. */
  args: string[];
  argv0: string;
  /** null: this process's environment as it is (libc's environ, which process.env reads and writes). */
  envp: string[] | null;
  cwd: string | undefined;
  stdio: readonly StdioSource[];
  detached: boolean;
  credentials: Credentials | undefined;
  signal: AbortSignal | undefined;
  killSignal: number;
  /** Milliseconds; 0: no timeout. */
  timeout: number;
  killTree: boolean;
  /** false, true (orphans of the child's session), or "all" (every orphan outside our session). */
  subreaper: boolean | "all";
}

/** The ids `uid` and `gid` ask for (undefined: keep ours). */
interface Credentials {
  uid: number | undefined;
  gid: number | undefined;
}

/** Checks the arguments the way child_process.spawn does and normalises them; touches nothing. */
function planSpawn(file: unknown, args: unknown, options: unknown): SpawnPlan {
  checkString("file", file);
  if ((file as string).length === 0) throw invalidArg("file", "a non-empty string", file, "ERR_INVALID_ARG_VALUE");
  if (!Array.isArray(args)) throw invalidArg("args", "an instance of Array", args);
  checkNoHoles("args", args);
  args.forEach((arg, i) => checkString(`args[${i}]`, arg));
  const o = checkOptions("options", options, SPAWN_OPTIONS) as SpawnOptions;
  const cwd = o.cwd instanceof URL ? fileURLToPath(o.cwd) : o.cwd;
  if (cwd !== undefined) checkString("options.cwd", cwd);
  if (o.argv0 !== undefined) checkString("options.argv0", o.argv0);
  if (o.subreaper !== undefined && typeof o.subreaper !== "boolean" && o.subreaper !== "all") {
    const isString = typeof o.subreaper === "string";
    throw invalidArg("options.subreaper", isString ? "true, false or \"all\"" : "of type boolean or the string \"all\"", o.subreaper,
      isString ? "ERR_INVALID_ARG_VALUE" : "ERR_INVALID_ARG_TYPE");
  }
  const subreaper = o.subreaper ?? false;
  if (subreaper === "all" && !isMainThread) {
    throw new PidFdError({ errno: EOPNOTSUPP, method: "spawn",
      detail: "subreaper \"all\" works on the main thread only, which the kernel reparents orphans to" });
  }
  if (subreaper !== false && o.detached === false) {
    throw invalidArg("options.detached", "true or undefined with options.subreaper (the child's orphans are known by its session)", false,
      "ERR_INVALID_ARG_VALUE");
  }
  const shell = shellOf(o.shell);
  const program = shell ?? (file as string);
  const uid = o.uid === undefined ? undefined : checkInt("options.uid", o.uid, 0, ID_MAX);
  const gid = o.gid === undefined ? undefined : checkInt("options.gid", o.gid, 0, ID_MAX);
  return {
    file: program,
    args: shell === undefined ? (args as string[]).slice() : ["-c", [file as string, ...(args as string[])].join(" ")],
    argv0: o.argv0 ?? program,
    envp: environment(o.env),
    cwd,
    stdio: normaliseStdio(o.stdio),
    detached: o.detached === true || subreaper !== false,
    killTree: o.killTree === true,
    subreaper,
    credentials: uid === undefined && gid === undefined ? undefined : { uid, gid },
    signal: checkAbortSignal("options.signal", o.signal),
    killSignal: o.killSignal === undefined ? SIGNALS.SIGTERM : signalNumber(o.killSignal, "options.killSignal"),
    timeout: o.timeout === undefined ? 0 : checkInt("options.timeout", o.timeout, 0, 0x7fffffff),
  };
}

/** The highest uid_t / gid_t a process can have ((uid_t)-1 means "unchanged" to setresuid). */
const ID_MAX = 0xfffffffe;

/** The shell of `shell`: /bin/sh for true, the string for a non-empty string, none for false or "" (as child_process). */
function shellOf(shell: unknown): string | undefined {
  if (shell === undefined || shell === false || shell === "") return undefined;
  if (shell === true) return "/bin/sh";
  if (typeof shell !== "string") throw invalidArg("options.shell", "of type boolean or string", shell);
  checkString("options.shell", shell);
  return shell;
}

/**
 * The child's envp. Without `env`, on the main thread, null: process.env there is libc's environ
 * itself (Node reads and writes it with getenv/setenv), so the child gets environ as a C program's
 * would, with nothing copied. A worker thread has its own copy of process.env: that is copied.
 */
function environment(env: NodeJS.ProcessEnv | undefined): string[] | null {
  if (env === undefined && isMainThread) return null;
  const envp: string[] = [];
  for (const [key, value] of Object.entries(env ?? process.env)) {
    if (value === undefined) continue;
    const entry = `${key}=${value}`;
    checkString(`options.env.${key}`, entry);
    envp.push(entry);
  }
  return envp;
}

function checkString(name: string, value: unknown): void {
  if (typeof value !== "string") throw invalidArg(name, "of type string", value);
  if (value.includes("\0")) throw invalidArg(name, "a string without null bytes", value, "ERR_INVALID_ARG_VALUE");
}

const STDIO_ALL: Readonly<Record<string, StdioSource | "inherit">> = { pipe: "pipe", overlapped: "pipe", inherit: "inherit", ignore: "ignore" };
/** fds 0-2 for each string form of `stdio` (shared, never modified). */
const STDIO_OF_STRING: Readonly<Record<string, readonly StdioSource[]>> = {
  pipe: ["pipe", "pipe", "pipe"], overlapped: ["pipe", "pipe", "pipe"], inherit: [0, 1, 2], ignore: ["ignore", "ignore", "ignore"],
};

function normaliseStdio(stdio: SpawnOptions["stdio"]): readonly StdioSource[] {
  if (stdio === undefined || typeof stdio === "string") {
    const all = ownValue(STDIO_OF_STRING, stdio ?? "pipe");
    if (all === undefined) {
      throw invalidArg("options.stdio", '"pipe", "overlapped", "inherit", "ignore" or an array', stdio, "ERR_INVALID_ARG_VALUE");
    }
    return all;
  }
  if (!Array.isArray(stdio)) throw invalidArg("options.stdio", "of type string or an instance of Array", stdio);
  checkNoHoles("options.stdio", stdio);
  const list: StdioSource[] = [];
  for (let i = 0; i < Math.max(3, stdio.length); i++) list.push(stdioSource(`options.stdio[${i}]`, i, stdio[i] ?? (i < 3 ? "pipe" : "ignore")));
  return list;
}

/** What the child's fd `fd` gets for the entry `entry` of the stdio array. */
function stdioSource(name: string, fd: number, entry: unknown): StdioSource {
  if (typeof entry === "number") return checkInt(name, entry, 0, 0x7fffffff);
  if (typeof entry === "string") {
    const source = ownValue(STDIO_ALL, entry);
    if (source !== undefined) return source === "inherit" ? fd : source;
    const reason = entry === "ipc" ? " (there is no IPC channel: use a socket, \"pipe\" above fd 2)" : "";
    throw invalidArg(name, `"pipe", "overlapped", "inherit", "ignore", an fd or a stream with an fd${reason}`, entry, "ERR_INVALID_ARG_VALUE");
  }
  const streamFd = fdOfStream(entry);
  if (streamFd !== undefined) return checkInt(`${name}.fd`, streamFd, 0, 0x7fffffff);
  throw invalidArg(name, "\"pipe\", \"overlapped\", \"inherit\", \"ignore\", an fd or a stream with an fd (an fs stream has one after its 'open')",
    entry, "ERR_INVALID_ARG_VALUE");
}

/** The fd of a stream of ours, as child_process finds it: `fd` (fs and tty streams, process.stdout), else its libuv handle's. */
function fdOfStream(entry: unknown): number | undefined {
  if (!(entry instanceof Stream)) return undefined;
  const { fd, _handle: handle } = entry as { fd?: unknown; _handle?: { fd?: unknown } | null };
  if (typeof fd === "number") return fd;
  return typeof handle?.fd === "number" && handle.fd >= 0 ? handle.fd : undefined;
}

/** What posix_spawnp runs: `file` and argv. */
interface Program {
  file: string;
  argv: string[];
}

/**
 * The file posix_spawnp gets and the argv: the program, looked up here in the child's PATH when
 * that is not ours (posix_spawnp searches ours), and, for `uid`/`gid`, wrapped in setpriv.
 */
function programOf(plan: SpawnPlan): Program {
  const { file, credentials } = plan;
  const search = !file.includes("/") && (plan.envp !== null || credentials !== undefined);
  if (!credentials) return { file: search ? searchPath(plan, isExecutable) : file, argv: [plan.argv0].concat(plan.args) };
  const helper = credentialsHelper(plan);
  const target = targetIds(plan, credentials);
  const executable = (candidate: string): boolean => mayExecute(candidate, target);
  const resolved = search ? searchPath(plan, executable) : path.resolve(plan.cwd ?? ".", file);
  if (!search && !fs.existsSync(resolved)) throw spawnError(ENOENT, file, plan.cwd);
  if (!search && !executable(resolved)) throw spawnError(EACCES, file, plan.cwd);
  return { file: helper, argv: [helper, ...target.helperArgs, "--", resolved, ...plan.args] };
}

/** Node's and glibc's PATH when the environment has none (_PATH_DEFPATH). */
const DEFAULT_PATH = "/usr/bin:/bin";

/** The child's PATH: that of its envp, or ours when it gets our environment. */
function childPath(envp: readonly string[] | null): string {
  if (envp === null) return process.env.PATH ?? DEFAULT_PATH;
  const entry = envp.find((variable) => variable.startsWith("PATH="));
  return entry === undefined ? DEFAULT_PATH : entry.slice(5);
}

/**
 * Looks `plan.file` up in the child's PATH as execvp does in the child: each entry in turn (an
 * empty one is the child's cwd), skipping a missing file (ENOENT, ENOTDIR) and one it may not
 * execute (EACCES, a directory), stopping at any other error; the absolute path found, or
 * EACCES when one was refused, else ENOENT.
 */
function searchPath(plan: SpawnPlan, executable: (file: string) => boolean): string {
  const base = path.resolve(plan.cwd ?? ".");
  let refused = false;
  for (const dir of childPath(plan.envp).split(":")) {
    const candidate = path.resolve(base, dir, plan.file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EACCES") refused = true;
      else if (code !== "ENOENT" && code !== "ENOTDIR") throw spawnError(-((error as NodeJS.ErrnoException).errno ?? -ENOENT), plan.file, plan.cwd);
      continue;
    }
    if (stat.isFile() && executable(candidate)) return candidate;
    refused = true;
  }
  throw spawnError(refused ? EACCES : ENOENT, plan.file, plan.cwd);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where setpriv(1) is looked for: system directories only, never a PATH (it runs with our privileges). */
const SETPRIV_PATHS = ["/usr/bin/setpriv", "/bin/setpriv"];
let setpriv: string | null | undefined;

/**
 * setpriv(1), which posix_spawnp starts for `uid`/`gid`: posix_spawn has no attribute for
 * credentials (glibc has no posix_spawnattr_setuid), and setpriv sets them and execs the program,
 * so that the pid (and the pidfd) is the program's. ENOTSUP when there is none.
 */
function credentialsHelper(plan: SpawnPlan): string {
  setpriv ??= SETPRIV_PATHS.find(isExecutable) ?? null;
  if (setpriv === null) {
    throw new PidFdError({ errno: EOPNOTSUPP, syscall: "posix_spawnp",
      detail: `spawn ${plan.file}: options.uid and options.gid need setpriv(1) from util-linux (posix_spawn cannot set credentials), `
        + `and there is none at ${SETPRIV_PATHS.join(" or ")}` });
  }
  if (plan.argv0 !== plan.file) {
    throw new PidFdError({ errno: EOPNOTSUPP, syscall: "posix_spawnp",
      detail: `spawn ${plan.file}: options.argv0 with options.uid or options.gid: setpriv(1) runs the program with its path as argv[0]` });
  }
  return setpriv;
}

/** The ids the child will have, and the setpriv arguments that give them. */
interface TargetIds {
  uid: number;
  groups: readonly number[];
  helperArgs: string[];
}

/** CAP_SETGID and CAP_SETUID, bits of /proc/self/status CapEff. */
const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

/** Our effective capabilities (/proc/self/status CapEff). */
function effectiveCapabilities(): bigint {
  const line = fs.readFileSync("/proc/self/status", "latin1").split("\n").find((l) => l.startsWith("CapEff:"));
  return line === undefined ? 0n : BigInt(`0x${line.slice(7).trim()}`);
}

/**
 * What `uid`/`gid` make of the child, as libuv does in child_process's children: the
 * supplementary groups cleared when we may (setgroups(0, NULL), ignored by libuv when it fails),
 * then setgid, then setuid. A change we lack the capability for is EPERM here (libuv's child
 * reports EPERM from setgid/setuid), before anything starts.
 */
function targetIds(plan: SpawnPlan, { uid, gid }: Credentials): TargetIds {
  const capabilities = effectiveCapabilities();
  const may = (bit: bigint): boolean => ((capabilities >> bit) & 1n) === 1n;
  const changes = [[gid, process.getgid!(), CAP_SETGID, "gid", "setgid"], [uid, process.getuid!(), CAP_SETUID, "uid", "setuid"]] as const;
  for (const [id, own, bit, name, syscall] of changes) {
    if (id !== undefined && id !== own && !may(bit)) {
      throw new PidFdError({ errno: EPERM, syscall, detail: `spawn ${plan.file}: options.${name} ${id} needs CAP_SET${name.toUpperCase()}` });
    }
  }
  const mayClearGroups = may(CAP_SETGID);
  const targetGid = gid ?? process.getgid!();
  const helperArgs = [
    ...(gid === undefined ? [] : [`--regid=${gid}`]),
    ...(uid === undefined ? [] : [`--reuid=${uid}`]),
    ...(mayClearGroups ? ["--clear-groups"] : gid === undefined ? [] : ["--keep-groups"]),
  ];
  return { uid: uid ?? process.getuid!(), groups: mayClearGroups ? [targetGid] : [targetGid, ...process.getgroups!()], helperArgs };
}

/**
 * Whether the child, with the ids of `target`, may execute `file`: an x bit of the file, and of
 * every directory above it, for its owner, group or others, whichever applies (ACLs are not
 * read). Root may execute a file with any x bit.
 */
function mayExecute(file: string, target: TargetIds): boolean {
  try {
    if (target.uid === 0) return (fs.statSync(file).mode & 0o111) !== 0;
    for (let current = file; ; current = path.dirname(current)) {
      const stat = fs.statSync(current);
      const bit = stat.uid === target.uid ? 0o100 : target.groups.includes(stat.gid) ? 0o010 : 0o001;
      if ((stat.mode & bit) === 0) return false;
      if (current === path.dirname(current)) return true;
    }
  } catch {
    return false;
  }
}

/** The fds pipe2 and socketpair write (read at once), in the main thread and on simulated kernels. */
const ownPair = new Int32Array(2);

interface OpenedStdio {
  actions: FileAction[];
  /** fds of ours that only the child needs: closed right after posix_spawnp. */
  childEnds: number[];
  /** Per child fd, our end of its pipe or socket, or -1. */
  parentEnds: number[];
}

/**
 * Creates the pipes (pipe2 O_CLOEXEC) for fds 0-2, the sockets (socketpair SOCK_CLOEXEC) for a
 * "pipe" above them, and the file actions that give the child its fds. Each fd of ours given is
 * checked first (F_GETFL: EBADF naming its stdio[i]). A source fd below stdio.length that is not
 * its own target is first copied above them (F_DUPFD_CLOEXEC), so that no dup2 can overwrite the
 * source of a later one. dup2(i, i) clears FD_CLOEXEC in the child (glibc 2.29+): Node's own 0-2
 * are O_CLOEXEC. /dev/null is opened once, on the first "ignore" fd; the other "ignore" fds are
 * dup2s of it. With a worker's `cells` (spawnCells()), pipe2 and socketpair write there, and every
 * fd made is recorded as the worker's (holdSpawnFds()).
 */
function openStdio(sys: ProcessSyscalls, cloexec: number, stdio: readonly StdioSource[], cells: InProgressCells | undefined): OpenedStdio {
  const opened: OpenedStdio = { actions: [], childEnds: [], parentEnds: new Array<number>(stdio.length).fill(-1) };
  const pair = cells?.fds ?? ownPair;
  let devNull = -1;
  try {
    for (let i = 0; i < stdio.length; i++) {
      const entry = stdio[i]!;
      if (entry === "ignore") {
        if (devNull < 0) opened.actions.push({ open: [(devNull = i), "/dev/null", fs.constants.O_RDWR] });
        else opened.actions.push({ dup2: [devNull, i] });
        continue;
      }
      let source: number;
      if (entry === "pipe") {
        const rc = i <= 2 ? sys.pipe(pair, cloexec) : sys.socketPair(pair, cloexec);
        if (rc < 0) throw new PidFdError({ errno: -rc, syscall: i <= 2 ? "pipe2" : "socketpair", detail: `stdio[${i}]` });
        const [first, second] = [pair[0]!, pair[1]!];
        if (cells) holdSpawnFds([first, second], cells);
        // A pipe's fds are [read, write]: the child reads its stdin and writes the others.
        opened.parentEnds[i] = i === 0 ? second : first;
        source = i === 0 ? first : second;
        opened.childEnds.push(source);
      } else {
        source = entry;
        const flags = sys.fcntl(source, F_GETFL, 0);
        if (flags < 0) throw new PidFdError({ errno: -flags, syscall: "fcntl", detail: `stdio[${i}]: fd ${source}` });
        if (i <= 2) makeBlocking(sys, source, flags);
      }
      if (source < stdio.length && source !== i) {
        const high = sys.fcntl(source, F_DUPFD_CLOEXEC, stdio.length);
        if (high < 0) throw new PidFdError({ errno: -high, syscall: "fcntl", detail: `stdio[${i}]: F_DUPFD_CLOEXEC of fd ${source}` });
        if (cells) holdSpawnFds([high], undefined);
        opened.childEnds.push(high);
        source = high;
      }
      opened.actions.push({ dup2: [source, i] });
    }
  } catch (error) {
    closeAll(sys, [...opened.childEnds, ...opened.parentEnds], cells !== undefined);
    throw error;
  }
  return opened;
}

/**
 * Clears O_NONBLOCK on an fd of ours (whose F_GETFL is `flags`) that becomes the child's fd 0, 1
 * or 2, as libuv does in children of child_process: Node sets it on its own stdio pipes, and a
 * child writing to a non-blocking pipe fails with EAGAIN once the pipe is full. The flag belongs
 * to the open file description, which the child shares with us, so clearing it here is what the
 * child sees.
 */
function makeBlocking(sys: ProcessSyscalls, fd: number, flags: number): void {
  if (flags & fs.constants.O_NONBLOCK) sys.fcntl(fd, F_SETFL, flags & ~fs.constants.O_NONBLOCK);
}

function spawnError(errno: number, file: string, cwd: string | undefined): PidFdError {
  let detail = `spawn ${file}`;
  if (cwd !== undefined && (errno === ENOENT || errno === ENOTDIR || errno === EACCES)) {
    let usable = false;
    try {
      usable = fs.statSync(cwd).isDirectory();
    } catch {
      // the message below says why
    }
    if (!usable) detail += `: cwd ${cwd} is not a usable directory`;
  }
  return new PidFdError({ errno, syscall: "posix_spawnp", detail });
}

function ignore(): void {}

class SpawnedProcess implements Subprocess {
  readonly pid: number;
  readonly pidfd: PidFd;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdio: readonly (net.Socket | null)[];
  readonly spawnfile: string;
  readonly spawnargs: readonly string[];
  readonly exited: Promise<ExitStatus>;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  killed = false;
  readonly #killSignal: number;
  readonly #killTree: boolean;
  readonly #simulated: boolean;
  /** With `subreaper` (true or "all"): orphans that come back to us are adopted (adoptOrphans()). */
  readonly #subreaper: boolean;
  /** `options.signal`, and with it or `timeout`, what sends `killSignal`. */
  readonly #signal: AbortSignal | undefined;
  #killer: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** Starts supervising the child (a failure throws: spawn() kills and reaps it), then opens its streams. */
  constructor(pid: number, pidfd: PidFd, parentEnds: readonly number[], plan: SpawnPlan, simulated: boolean) {
    this.pid = pid;
    this.pidfd = pidfd;
    this.#killTree = plan.killTree;
    this.#simulated = simulated;
    this.#subreaper = plan.subreaper !== false;
    this.spawnfile = plan.file;
    this.spawnargs = [plan.argv0].concat(plan.args);
    this.#killSignal = plan.killSignal;
    this.#signal = plan.signal;
    this.exited = lifecycleOf(pidfd).superviseChild(this, plan.killTree, (status) => this.#exitedCleanup(status));
    this.exited.catch(ignore); // a rejection is for whoever awaits it
    this.stdio = parentEnds.map((fd, i) => {
      if (fd < 0) return null;
      if (!simulated) letGo(fd); // the stream's from here on
      return new (netSockets().Socket)({ fd, readable: i !== 0, writable: i === 0 || i > 2 });
    });
    this.stdin = this.stdio[0] ?? null;
    this.stdout = this.stdio[1] ?? null;
    this.stderr = this.stdio[2] ?? null;
    if (plan.timeout > 0 || plan.signal) {
      const killer = (this.#killer = (): void => void this.kill(plan.killSignal));
      if (plan.timeout > 0) this.#timer = setTimeout(killer, plan.timeout).unref();
      plan.signal?.addEventListener("abort", killer, { once: true });
    }
    if (!simulated) spawnedChildren.add(pid);
    if (this.#subreaper) watchOrphans(this, plan.subreaper === "all", plan.killTree);
  }

  /**
   * As `exited` settles: the exit fields are set from the status (none when the supervision
   * failed), and the timeout, the abort listener and stdin go.
   */
  #exitedCleanup(status: ExitStatus | undefined): void {
    if (status) {
      this.exitCode = status.code;
      this.signalCode = status.signal;
    }
    clearTimeout(this.#timer);
    if (this.#killer) this.#signal?.removeEventListener("abort", this.#killer);
    this.stdin?.destroy();
    spawnedChildren.delete(this.pid);
    if (this.#subreaper) adoptOrphans(this.pidfd.constructor as typeof PidFd);
  }

  /** The roots the tree of this Subprocess grows from: the child, and the orphans adopted from its session. */
  #treeRoots(): PidFd[] {
    if (!this.#subreaper) return [this.pidfd];
    adoptOrphans(this.pidfd.constructor as typeof PidFd);
    return [this.pidfd, ...orphansOf(this.pid)];
  }

  /**
   * signalTrees() over the child and its adopted orphans; with `subreaper`, again over the
   * orphans that came to us meanwhile (a member that exits during the stop hands its children to
   * us: once every member has been seen stopped or exited, they all have come), until none come.
   */
  #signalTree(sig: number): boolean {
    let roots = this.#treeRoots();
    const done = new Set<PidFd>();
    let sent = false;
    while (roots.length > 0) {
      sent = signalTrees(roots, sig, this.#simulated).some((member) => member.signals.length > 0) || sent;
      for (const root of roots) done.add(root);
      if (!this.#subreaper) break;
      adoptOrphans(this.pidfd.constructor as typeof PidFd);
      roots = orphansOf(this.pid).filter((orphan) => !done.has(orphan));
    }
    return sent;
  }

  kill(signal: Signal = "SIGTERM"): boolean {
    const sig = signalNumber(signal);
    if (this.pidfd.closed) return false;
    if (this.#killTree) {
      const sent = this.#signalTree(sig);
      if (sent) this.killed = true;
      return sent;
    }
    try {
      this.pidfd.sendSignal(sig);
    } catch (error) {
      if (error instanceof PidFdError && error.code === "ESRCH") return false;
      throw error;
    }
    this.killed = true;
    return true;
  }

  ref(): void {
    lifecycleOf(this.pidfd).referenceChild(true);
  }

  unref(): void {
    lifecycleOf(this.pidfd).referenceChild(false);
  }

  close(): void {
    if (this.#killTree && !this.pidfd.closed) {
      try {
        this.#signalTree(SIGKILL);
      } catch {
        // the child alone is still killed below
      }
    }
    this.pidfd.close();
    if (this.#killTree && this.#subreaper) for (const orphan of orphansOf(this.pid)) orphan.close(); // killed and reaped
    for (const stream of this.stdio) stream?.destroy();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** util.inspect(): `Subprocess { pid: 4242, fd: 21, state: 'running' }`; "exited" once reaped, "closed" after close(). */
  [util.inspect.custom](_depth: number, options: util.InspectOptionsStylized, inspect: typeof util.inspect): string {
    const state = this.pidfd.closed ? "closed" : this.pidfd.fd < 0 ? "exited" : "running";
    return `Subprocess ${inspect({ pid: this.pid, fd: this.pidfd.fd, state }, options)}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      if (this.#killTree && !this.pidfd.closed) {
        await killTrees(this.#treeRoots(), this.#killSignal, 5000, SIGKILL, 5000, 0, this.#simulated);
        if (this.#subreaper) this.#signalTree(SIGKILL); // orphans that came to us during the kill
      }
      else if (!this.pidfd.closed) await this.pidfd.terminate({ signal: this.#killSignal });
    } finally {
      this.close();
    }
  }
}
