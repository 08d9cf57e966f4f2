// Shared test helpers: children we spawn ourselves, what /proc says about them, and fd accounting.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import readline from "node:readline";

/** A shell script's last command for a child that runs until it is killed. */
export const UNTIL_KILLED = "exec sleep infinity";

/** The fds this process has open now. */
export function openFds(): string[] {
  return fs.readdirSync("/proc/self/fd");
}

/** The file status flags of our fd `fd` (octal `flags:` of /proc/self/fdinfo). */
export function fdinfoFlags(fd: number): number {
  const line = fs.readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").split("\n").find((l) => l.startsWith("flags:"));
  return parseInt(line!.split(/\s+/)[1]!, 8);
}

/** Whether our fd `fd` is close-on-exec (O_CLOEXEC, 02000000, shows in fdinfo flags). */
export function isCloexec(fd: number): boolean {
  return (fdinfoFlags(fd) & 0o2000000) !== 0;
}

/**
 * Spawns `sh -c script` with piped stdin/stdout (Node's child_process owns and reaps it) and
 * waits until it runs. Scripts `exec` their last command so that killing the child leaves no
 * orphan behind (PID 1 here reaps orphans only after an unpredictable delay).
 */
export async function spawnShell(script: string): Promise<ChildProcess> {
  const child = spawn("sh", ["-c", script], { stdio: ["pipe", "pipe", "inherit"] });
  await once(child, "spawn");
  return child;
}

/** Resolves with [code, signal] when `child` exits (immediately if it already has). */
export function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve([child.exitCode, child.signalCode]);
  return once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
}

/** Kills `child` if it still runs and waits for Node to reap it. */
export async function cleanup(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exitOf(child);
  }
}

/** Resolves once `condition()` holds, looking again every millisecond (a state, never a delay). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** The fields of /proc/<pid>/status ("State", "SigPnd", ...), or null once the process is reaped. */
export function procStatus(pid: number): Map<string, string> | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, "latin1");
  } catch {
    return null;
  }
  return new Map(text.split("\n").filter(Boolean).map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  }));
}

/** The state letter of /proc/<pid>/status ("S", "T" stopped, "Z" zombie...), or null once reaped. */
export function procStateOf(pid: number): string | null {
  return procStatus(pid)?.get("State")?.[0] ?? null;
}

/** Whether `child` has exited: a zombie now, or reaped by Node already. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || procStateOf(child.pid!) === "Z";
}

/**
 * Stops `child` with SIGSTOP and resolves once it is stopped. From then on a signal sent to it
 * stays pending (shown in /proc/<pid>/status) or, for SIGKILL and SIGCONT, wakes it at once:
 * see receivedNoSignal().
 */
export async function stopChild(child: ChildProcess): Promise<void> {
  child.kill("SIGSTOP");
  await until(() => procStateOf(child.pid!) === "T");
}

/**
 * Whether a child stopped by stopChild() has been sent no signal since: it is still stopped and
 * no signal is pending. Exact at any instant, since the kernel queues a signal for a stopped
 * process (or wakes it, for SIGKILL and SIGCONT) before the sender's kill returns.
 */
export function receivedNoSignal(child: ChildProcess): boolean {
  const status = procStatus(child.pid!);
  return status?.get("State")?.[0] === "T" && /^0+$/.test(status.get("SigPnd")!) && /^0+$/.test(status.get("ShdPnd")!);
}

/** Resolves with the first line `child` prints on its stdout. */
export async function firstLine(child: ChildProcess): Promise<string> {
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return chunk.toString().split("\n")[0]!;
}

/** siginfo_t bytes as waitid fills them on a 64-bit little-endian machine. */
export function siginfo(code: number, status: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(128));
  view.setInt32(0, 17, true); // SIGCHLD
  view.setInt32(8, code, true);
  view.setInt32(16, 1234, true); // si_pid
  view.setInt32(24, status, true);
  return new Uint8Array(view.buffer);
}

/**
 * `python3 -c` arguments for a child that blocks `signal`, reads it from a signalfd, and prints
 * "ready" once the signal is blocked, then "signo code pid uid value" of the siginfo it got
 * (struct signalfd_siginfo: ssi_signo, ssi_code, ssi_pid, ssi_uid, ssi_int at offset 44), and exits.
 */
export function siginfoReporter(signal: number): string[] {
  const script = [
    "import ctypes, os, signal, struct",
    "libc = ctypes.CDLL(None, use_errno=True)",
    `signal.pthread_sigmask(signal.SIG_BLOCK, [${signal}])`,
    "mask = ctypes.create_string_buffer(128)",
    `libc.sigemptyset(mask); libc.sigaddset(mask, ${signal})`,
    "fd = libc.signalfd(-1, mask, 0)",
    "assert fd >= 0, ctypes.get_errno()",
    "print('ready', flush=True)",
    "data = os.read(fd, 128)",
    "signo, _, code, pid, uid = struct.unpack_from('<IiiII', data, 0)",
    "value, = struct.unpack_from('<i', data, 44)",
    "print(signo, code, pid, uid, value, flush=True)",
  ].join("\n");
  return ["-c", script];
}

/** The lines `child` prints on its stdout, one per call, however the pipe splits them into chunks. */
export function lineReader(child: ChildProcess): () => Promise<string> {
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("the child closed its stdout");
    return value as string;
  };
}

/**
 * A fresh temporary directory for each test of the enclosing describe (call it in the describe's
 * body), removed after the test: its path is `.dir` while the test runs.
 */
export function tempDirPerTest(prefix: string): { dir: string } {
  const temp = { dir: "" };
  beforeEach(() => (temp.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))));
  afterEach(() => fs.rmSync(temp.dir, { recursive: true, force: true }));
  return temp;
}

/** A FIFO whose both ends are open non-blocking, full: its writer end answered EAGAIN. */
export interface FullFifo {
  readEnd: number;
  /** Undefined once given away with closeWriteEnd(). */
  writeEnd: number | undefined;
  /** The bytes in it (`-` each), less any read back since. */
  filled: number;
  closeWriteEnd(): void;
  /** Closes what is still open (the read end unless `readEndTaken`) and removes the FIFO. */
  remove(readEndTaken?: boolean): void;
}

/** Makes a FullFifo in a temporary directory (mkfifo(1)), filled in writes of one page. */
export function fullFifo(prefix: string): FullFifo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const fifo = path.join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fs.constants;
  const readEnd = fs.openSync(fifo, O_RDONLY | O_NONBLOCK);
  const full: FullFifo = {
    readEnd,
    writeEnd: fs.openSync(fifo, O_WRONLY | O_NONBLOCK),
    filled: 0,
    closeWriteEnd() {
      if (full.writeEnd !== undefined) fs.closeSync(full.writeEnd);
      full.writeEnd = undefined;
    },
    remove(readEndTaken = false) {
      full.closeWriteEnd();
      if (!readEndTaken) fs.closeSync(readEnd);
      fs.rmSync(dir, { recursive: true });
    },
  };
  const page = Buffer.alloc(4096, "-");
  for (;;) {
    try {
      full.filled += fs.writeSync(full.writeEnd!, page);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") return full;
      full.remove();
      throw error;
    }
  }
}
