// Real children that this process owns (posix_spawnp through koffi, so Node's libuv never reaps
// them): `sh -c 'read code; exit $code'`, told when to exit through a pipe on its stdin.
import { createRequire } from "node:module";
import { procStateOf, until } from "../util.js";

type Fn = (...args: unknown[]) => number;
interface Libc {
  posix_spawnp: Fn; fa_init: Fn; fa_adddup2: Fn; fa_destroy: Fn; fa_closefrom: Fn;
  attr_init: Fn; attr_setflags: Fn; attr_setsigdefault: Fn; attr_setsigmask: Fn; attr_destroy: Fn;
  sigfillset: Fn; sigemptyset: Fn; pipe2: Fn; waitid: Fn; kill: Fn; close: Fn; write: Fn;
}

let libc: Libc | undefined;
function bind(): Libc {
  if (libc) return libc;
  const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
  const lib = koffi.load("libc.so.6");
  const f = (proto: string): Fn => lib.func(proto) as Fn;
  libc = {
    posix_spawnp: f("int posix_spawnp(_Out_ int *pid, const char *file, void *fa, void *attr, const char **argv, const char **envp)"),
    fa_init: f("int posix_spawn_file_actions_init(void *fa)"),
    fa_adddup2: f("int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)"),
    fa_closefrom: f("int posix_spawn_file_actions_addclosefrom_np(void *fa, int from)"),
    fa_destroy: f("int posix_spawn_file_actions_destroy(void *fa)"),
    attr_init: f("int posix_spawnattr_init(void *attr)"),
    attr_setflags: f("int posix_spawnattr_setflags(void *attr, short flags)"),
    attr_setsigdefault: f("int posix_spawnattr_setsigdefault(void *attr, void *set)"),
    attr_setsigmask: f("int posix_spawnattr_setsigmask(void *attr, void *set)"),
    attr_destroy: f("int posix_spawnattr_destroy(void *attr)"),
    sigfillset: f("int sigfillset(void *set)"),
    sigemptyset: f("int sigemptyset(void *set)"),
    pipe2: f("int pipe2(void *fds, int flags)"),
    waitid: f("int waitid(int idtype, unsigned int id, void *infop, int options)"),
    kill: f("int kill(int pid, int sig)"),
    close: f("int close(int fd)"),
    write: f("long write(int fd, const char *buf, unsigned long count)"),
  };
  return libc;
}

const O_CLOEXEC = 0o2000000;
const P_PID = 1, WEXITED = 4, WNOHANG = 1, WNOWAIT = 0x01000000;
const POSIX_SPAWN_SETSIGDEF = 4, POSIX_SPAWN_SETSIGMASK = 8;

export interface RealChild {
  pid: number;
  /** Makes it exit with `code`; resolves once it is a zombie (exited, not reaped). */
  exit(code: number): Promise<void>;
  /** Reaps it as its parent, without a pidfd: waitid(P_PID, pid, WEXITED). */
  reap(): void;
  /** Kills and reaps it unless something already reaped it. */
  dispose(): void;
}

/** Spawns a child of this process that runs until exit() is called. */
export function spawnRealChild(): RealChild {
  const c = bind();
  const fds = new Int32Array(2);
  if (c.pipe2(fds, O_CLOEXEC) !== 0) throw new Error("pipe2 failed");
  const [readEnd, writeEnd] = [fds[0]!, fds[1]!];
  const fa = new Uint8Array(256), attr = new Uint8Array(512), all = new Uint8Array(128), none = new Uint8Array(128);
  c.fa_init(fa);
  c.fa_adddup2(fa, readEnd, 0);
  c.fa_adddup2(fa, 2, 2);
  c.fa_closefrom(fa, 3);
  c.attr_init(attr);
  c.sigfillset(all);
  c.sigemptyset(none);
  c.attr_setsigdefault(attr, all);
  c.attr_setsigmask(attr, none);
  c.attr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  const pidOut = [0];
  const rc = c.posix_spawnp(pidOut, "sh", fa, attr, ["sh", "-c", 'read code; exit "$code"', null], [null]);
  c.fa_destroy(fa);
  c.attr_destroy(attr);
  c.close(readEnd);
  if (rc !== 0) {
    c.close(writeEnd);
    throw new Error(`posix_spawnp failed: ${rc}`);
  }
  const pid = pidOut[0]!;
  let pipeOpen = true;
  const closePipe = (): void => {
    if (pipeOpen) c.close(writeEnd);
    pipeOpen = false;
  };
  /** Whether the child is still unreaped (so its pid is still ours). */
  const unreaped = (): boolean => c.waitid(P_PID, pid, new Uint8Array(128), WEXITED | WNOHANG | WNOWAIT) === 0;
  return {
    pid,
    async exit(code) {
      c.write(writeEnd, `${code}\n`, `${code}\n`.length);
      closePipe();
      await until(() => procStateOf(pid) === "Z");
    },
    reap() {
      if (c.waitid(P_PID, pid, new Uint8Array(128), WEXITED) !== 0) throw new Error(`waitid(P_PID, ${pid}) failed`);
    },
    dispose() {
      // Killed before its pipe closes: an EOF would let it run on to `exit ""` (an error message).
      if (unreaped()) {
        c.kill(pid, 9);
        c.waitid(P_PID, pid, new Uint8Array(128), WEXITED);
      }
      closePipe();
    },
  };
}

/**
 * close(2) of a raw fd through libc, not node:fs: a runtime whose fs knows only the fds it opened
 * itself (Deno) refuses the others with EBADF.
 */
export function closeRawFd(fd: number): void {
  if (bind().close(fd) !== 0) throw new Error(`close(${fd}) failed`);
}
