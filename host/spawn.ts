// spawn(): starts a process with posix_spawnp (no fork of Node) and holds it by a pidfd from
// the start. The child is ours alone: libuv never reaps it, our waitid does.
import fs from "node:fs";
import net from "node:net";
import util from "node:util";
import type { Readable, Writable } from "node:stream";
import { isMainThread } from "node:worker_threads";
import { F_DUPFD_CLOEXEC, F_GETFL, F_SETFL, SIGKILL } from "./constants.js";
import { EACCES, ENOENT, ENOTDIR } from "./errno.js";
import { abortError, checkAbortSignal, checkInt, invalidArg, PidFdError } from "./errors.js";
import type { ExitStatus } from "./exit_status.js";
import { lifecycleOf, PidFd } from "./pidfd.js";
import { kernelCore } from "./runtime.js";
import { signalNumber, type Signal } from "./signals.js";
import type { Core } from "./core.js";
import type { FileAction, ProcessSyscalls } from "./sys/syscalls.js";
import { checkNoHoles, checkOptions } from "./validate.js";

/** What one of the child's fds is: a new pipe, the same fd of ours, /dev/null, or a given fd of ours. */
export type StdioOption = "pipe" | "inherit" | "ignore" | number;

/** Options of spawn(). */
export interface SpawnOptions {
  /** The child's working directory; default ours. */
  cwd?: string;
  /** The child's environment; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** argv[0] as the child sees it; default `file`. */
  argv0?: string;
  /**
   * fds 0, 1, 2 (and more, for an array): default "pipe" for each of 0-2. An array entry that is
   * undefined or null is that fd's default, as in child_process; a hole (a sparse array) is refused.
   */
  stdio?: "pipe" | "inherit" | "ignore" | readonly (StdioOption | null | undefined)[];
  /** Start the child in a new session (setsid): no controlling terminal, its own process group. */
  detached?: boolean;
  /** Aborting it sends `killSignal` to the child. */
  signal?: AbortSignal;
  /** The signal `signal` and `timeout` send; default SIGTERM. */
  killSignal?: Signal;
  /** Milliseconds after which the child is sent `killSignal`. */
  timeout?: number;
}

/** A process started by spawn(). */
export interface Subprocess extends Disposable {
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
  /**
   * Resolves once, with the exit status, when the child has exited and been reaped
   * (waitid(P_PIDFD), Linux 5.4; readiness from the event loop), by this promise's own watch or
   * by any wait on `pidfd`: always the same status. A kill by `signal` or `timeout` resolves it
   * too, with that signal. Keeps the event loop alive while the child runs. Rejects (ECHILD)
   * only if something else in this process reaped the child (waitid(P_ALL)) and the kernel kept
   * no status (before Linux 6.15).
   */
  readonly exited: Promise<ExitStatus>;
  /**
   * Sends a signal (default SIGTERM) through the pidfd (pidfd_send_signal, Linux 5.1): it can
   * never reach another process that reused the pid. Does nothing once the child has been reaped.
   * @throws {TypeError|RangeError} for an unknown signal.
   */
  kill(signal?: Signal): void;
  /**
   * Releases what the Subprocess holds: a child that still runs is killed (SIGKILL) and reaped
   * first (a blocking waitid, brief for a SIGKILLed process), so that it never stays a zombie;
   * then the pidfd is closed and the stdio streams destroyed. `exited` resolves with the status.
   * Closing twice does nothing.
   */
  close(): void;
}


/**
 * Starts `file` (looked up in PATH like execvp when it has no slash, using this process's
 * PATH) with `args`, through posix_spawnp(3) (glibc 2.34+ for addclosefrom_np; addchdir_np for
 * `cwd`, glibc 2.29), and opens its pidfd (pidfd_open, Linux 5.3) before anything can reap it.
 *
 * The child starts with every signal at its default disposition and none blocked (Node ignores
 * SIGPIPE and SIGXFSZ; the child does not inherit that), with exactly the fds of `stdio` (every
 * other fd is closed: closefrom), and, with `detached`, in a new session. Every fd created here
 * is O_CLOEXEC. An fd of ours given as the child's fd 0, 1 or 2 ("inherit" or a number) is made
 * blocking first (O_NONBLOCK cleared on the file description both share), as Node's
 * child_process does: Node makes its stdio pipes non-blocking, which children do not expect.
 *
 * Errors are thrown synchronously, with no process and no fd left behind: a missing `file`
 * (ENOENT), one that is not executable (EACCES), a bad `cwd` (ENOENT or ENOTDIR, with the cwd
 * named in the message), too many open fds (EMFILE) are PidFdErrors with `syscall`
 * "posix_spawnp" (or "pipe2", "pidfd_open") and Node's `code`/negative `errno`. An `options.signal`
 * that is already aborted throws AbortError and starts nothing. Bad arguments throw
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
  const sys = core.process;
  let Pidfd = pidfdClasses.get(core);
  if (!Pidfd) pidfdClasses.set(core, (Pidfd = core === kernelCore() ? PidFd : PidFd.on(core)));
  const stdio = openStdio(sys, core.exports.o_cloexec() >>> 0, plan.stdio);
  let pid = -1;
  try {
    const actions = [...stdio.actions, { closeFrom: Math.max(3, plan.stdio.length) } as FileAction];
    if (plan.cwd !== undefined) actions.push({ chdir: plan.cwd });
    pid = sys.spawn({ file, argv: plan.argv, envp: plan.envp, actions, setsid: plan.detached });
    if (pid < 0) throw spawnError(-pid, file, plan.cwd);
  } finally {
    for (const fd of stdio.childEnds) sys.close(fd);
    if (pid < 0) for (const fd of stdio.parentEnds) if (fd >= 0) sys.close(fd);
  }
  let pidfd: PidFd | undefined;
  try {
    pidfd = Pidfd.open(pid);
    return new SpawnedProcess(pid, pidfd, stdio.parentEnds, plan);
  } catch (error) {
    // Still unreaped, so the pid is still our child: kill and reap it by pid.
    sys.kill(pid, SIGKILL);
    sys.reap(pid);
    pidfd?.close();
    for (const fd of stdio.parentEnds) if (fd >= 0) sys.close(fd);
    throw error;
  }
}

interface SpawnPlan {
  argv: string[];
  /** null: this process's environment as it is (libc's environ, which process.env reads and writes). */
  envp: string[] | null;
  cwd: string | undefined;
  stdio: StdioOption[];
  detached: boolean;
  signal: AbortSignal | undefined;
  killSignal: number;
  timeout: number | undefined;
}

/** Checks the arguments the way child_process.spawn does and normalises them. */
function planSpawn(file: unknown, args: unknown, options: unknown): SpawnPlan {
  checkString("file", file);
  if ((file as string).length === 0) throw invalidArg("file", "a non-empty string", file, "ERR_INVALID_ARG_VALUE");
  if (!Array.isArray(args)) throw invalidArg("args", "an instance of Array", args);
  checkNoHoles("args", args);
  args.forEach((arg, i) => checkString(`args[${i}]`, arg));
  checkOptions("options", options);
  const o = options as SpawnOptions;
  if (o.cwd !== undefined) checkString("options.cwd", o.cwd);
  if (o.argv0 !== undefined) checkString("options.argv0", o.argv0);
  if (o.detached !== undefined && typeof o.detached !== "boolean") throw invalidArg("options.detached", "of type boolean", o.detached);
  if (o.env !== undefined && (typeof o.env !== "object" || o.env === null)) throw invalidArg("options.env", "of type object", o.env);
  return {
    argv: [o.argv0 ?? (file as string), ...(args as string[])],
    envp: environment(o.env),
    cwd: o.cwd,
    stdio: normaliseStdio(o.stdio),
    detached: o.detached === true,
    signal: checkAbortSignal("options.signal", o.signal),
    killSignal: signalNumber(o.killSignal ?? "SIGTERM", "options.killSignal"),
    timeout: o.timeout === undefined ? undefined : checkInt("options.timeout", o.timeout, 1, 0x7fffffff),
  };
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

function normaliseStdio(stdio: SpawnOptions["stdio"]): StdioOption[] {
  if (stdio === undefined || typeof stdio === "string") {
    const all = stdio ?? "pipe";
    if (all !== "pipe" && all !== "inherit" && all !== "ignore") {
      throw invalidArg("options.stdio", '"pipe", "inherit", "ignore" or an array', stdio, "ERR_INVALID_ARG_VALUE");
    }
    return [all, all, all];
  }
  if (!Array.isArray(stdio)) throw invalidArg("options.stdio", "of type string or an instance of Array", stdio);
  checkNoHoles("options.stdio", stdio);
  const list: StdioOption[] = [];
  for (let i = 0; i < Math.max(3, stdio.length); i++) {
    const entry = stdio[i] ?? (i < 3 ? "pipe" : "ignore");
    if (typeof entry === "number") checkInt(`options.stdio[${i}]`, entry, 0, 0x7fffffff);
    else if (entry !== "inherit" && entry !== "ignore" && !(entry === "pipe" && i < 3)) {
      throw invalidArg(`options.stdio[${i}]`, i < 3 ? '"pipe", "inherit", "ignore" or an fd' : '"inherit", "ignore" or an fd',
        entry, "ERR_INVALID_ARG_VALUE");
    }
    list.push(entry);
  }
  return list;
}

interface OpenedStdio {
  actions: FileAction[];
  /** fds of ours that only the child needs: closed right after posix_spawnp. */
  childEnds: number[];
  /** Per child fd, our end of its pipe, or -1. */
  parentEnds: number[];
}

/**
 * Creates the pipes (pipe2 O_CLOEXEC) and the file actions that give the child its fds. A
 * source fd below stdio.length that is not its own target is first copied above them
 * (F_DUPFD_CLOEXEC), so that no dup2 can overwrite the source of a later one. dup2(i, i) clears
 * FD_CLOEXEC in the child (glibc 2.29+): Node's own 0-2 are O_CLOEXEC. /dev/null is opened once,
 * on the first "ignore" fd; the other "ignore" fds are dup2s of it.
 */
function openStdio(sys: ProcessSyscalls, cloexec: number, stdio: readonly StdioOption[]): OpenedStdio {
  const opened: OpenedStdio = { actions: [], childEnds: [], parentEnds: stdio.map(() => -1) };
  const pair = new Int32Array(2);
  let devNull = -1;
  try {
    stdio.forEach((entry, i) => {
      if (entry === "ignore") {
        if (devNull < 0) opened.actions.push({ open: [(devNull = i), "/dev/null", fs.constants.O_RDWR] });
        else opened.actions.push({ dup2: [devNull, i] });
        return;
      }
      let source = entry === "inherit" ? i : entry === "pipe" ? -1 : entry;
      if (source >= 0 && i <= 2) makeBlocking(sys, source);
      if (source < 0) {
        const rc = sys.pipe(pair, cloexec);
        if (rc < 0) throw new PidFdError({ errno: -rc, syscall: "pipe2", detail: `stdio[${i}]` });
        const [read, write] = [pair[0]!, pair[1]!];
        opened.parentEnds[i] = i === 0 ? write : read;
        source = i === 0 ? read : write;
        opened.childEnds.push(source);
      }
      if (source < stdio.length && source !== i) {
        const high = sys.fcntl(source, F_DUPFD_CLOEXEC, stdio.length);
        if (high < 0) throw new PidFdError({ errno: -high, syscall: "fcntl", detail: `F_DUPFD_CLOEXEC of fd ${source}` });
        opened.childEnds.push(high);
        source = high;
      }
      opened.actions.push({ dup2: [source, i] });
    });
  } catch (error) {
    for (const fd of [...opened.childEnds, ...opened.parentEnds]) if (fd >= 0) sys.close(fd);
    throw error;
  }
  return opened;
}

/**
 * Clears O_NONBLOCK on an fd of ours that becomes the child's fd 0, 1 or 2, as libuv does in
 * children of child_process: Node sets it on its own stdio pipes, and a child writing to a
 * non-blocking pipe fails with EAGAIN once the pipe is full. The flag belongs to the open file
 * description, which the child shares with us, so clearing it here is what the child sees.
 */
function makeBlocking(sys: ProcessSyscalls, fd: number): void {
  const flags = sys.fcntl(fd, F_GETFL, 0);
  if (flags >= 0 && flags & fs.constants.O_NONBLOCK) sys.fcntl(fd, F_SETFL, flags & ~fs.constants.O_NONBLOCK);
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

class SpawnedProcess implements Subprocess {
  readonly pid: number;
  readonly pidfd: PidFd;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly exited: Promise<ExitStatus>;

  /** Starts supervising the child (a failure throws: spawn() kills and reaps it), then opens its streams. */
  constructor(pid: number, pidfd: PidFd, parentEnds: readonly number[], plan: SpawnPlan) {
    this.pid = pid;
    this.pidfd = pidfd;
    let timer: NodeJS.Timeout | undefined;
    const killer = (): void => this.kill(plan.killSignal);
    this.exited = lifecycleOf(pidfd).superviseChild(this).finally(() => {
      clearTimeout(timer);
      plan.signal?.removeEventListener("abort", killer);
      this.stdin?.destroy();
    });
    this.exited.catch(() => {}); // a rejection is for whoever awaits it
    const streams = parentEnds.map((fd, i) => (fd < 0 ? null : new net.Socket({ fd, readable: i !== 0, writable: i === 0 })));
    this.stdin = streams[0] ?? null;
    this.stdout = streams[1] ?? null;
    this.stderr = streams[2] ?? null;
    if (plan.timeout !== undefined) timer = setTimeout(killer, plan.timeout).unref();
    plan.signal?.addEventListener("abort", killer, { once: true });
  }

  kill(signal: Signal = "SIGTERM"): void {
    const sig = signalNumber(signal);
    if (this.pidfd.closed) return;
    try {
      this.pidfd.sendSignal(sig);
    } catch (error) {
      if (!(error instanceof PidFdError && error.code === "ESRCH")) throw error;
    }
  }

  close(): void {
    this.pidfd.close();
    for (const stream of [this.stdin, this.stdout, this.stderr]) stream?.destroy();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** util.inspect(): `Subprocess { pid: 4242, fd: 21, state: 'running' }`; "exited" once reaped, "closed" after close(). */
  [util.inspect.custom](_depth: number, options: util.InspectOptionsStylized, inspect: typeof util.inspect): string {
    const state = this.pidfd.closed ? "closed" : this.pidfd.fd < 0 ? "exited" : "running";
    return `Subprocess ${inspect({ pid: this.pid, fd: this.pidfd.fd, state }, options)}`;
  }
}
