// libc calls for starting and watching processes: posix_spawnp with its file actions and
// attributes, pipes and socket pairs, fcntl, epoll, eventfd, and libuv readiness (koffi.node.poll).
// Numbers and views in, `>= 0` or `-errno` out, never throws (except pollReadable, a PidFdError for
// a function the C library lacks, and for a bad argument type, which is a bug of ours). koffi is
// loaded on the first call, and each function is bound on its first call (in a worker, all of
// them when the instance is made: BIND_AT_ONCE in libc.ts).
import fs from "node:fs";
import { PR_SET_CHILD_SUBREAPER } from "../constants.js";
import { EINTR, EIO, ENOMEM, EOPNOTSUPP } from "../errno.js";
import { PidFdError } from "../errors.js";
import { BIND_AT_ONCE, functionName, koffi, libcFunction, libcSymbols, missingFunction, type Koffi, type SymbolLookup } from "./libc.js";
import type { FileAction, ProcessSyscalls } from "./syscalls.js";

type Fn<A extends unknown[]> = (...args: A) => number;

// dlopen(3) flags (glibc and musl share them).
const RTLD_NOW = 0x2;
const RTLD_NOLOAD = 0x4;
const RTLD_NODELETE = 0x1000;
// libuv's uv_handle_type UV_POLL and uv_poll_event UV_READABLE.
const UV_POLL = 8;
const UV_READABLE = 1;

// posix_spawnattr_t flags (glibc and musl share them).
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
// socketpair(2): AF_UNIX, and SOCK_STREAM (2 on mips, 1 elsewhere).
const AF_UNIX = 1;
const SOCK_STREAM = process.arch.startsWith("mips") ? 2 : 1;
// Sizes with room to spare: glibc x86_64 has 80 (file actions), 336 (attr), 128 (sigset_t).
const FILE_ACTIONS_SIZE = 256;
const SPAWNATTR_SIZE = 512;
const SIGSET_SIZE = 128;
/** Prepared file-action lists kept for reuse (each holds a small malloc'd array in libc). */
const ACTIONS_CACHE_SIZE = 16;

let instance: ProcessSyscalls | undefined;

/**
 * The process syscalls through libc (loads koffi on the first call). Each libc function is bound
 * on its first call (in a worker, when this is made), and a C library that lacks one fails only
 * what needs it (libc.ts). `lookup`
 * (tests: a libc without some symbols) gives a fresh instance of its own.
 */
export function koffiProcessSyscalls(lookup?: SymbolLookup): ProcessSyscalls {
  return lookup ? bind(lookup) : instance ??= bind(libcSymbols);
}

function bind(lookup: SymbolLookup): ProcessSyscalls {
  const k = koffi();
  const fn = <A extends unknown[]>(prototype: string, glibc: string): Fn<A> => libcFunction<Fn<A>>(lookup, prototype, glibc);
  const posix_spawnp = fn<[Int32Array, string, Uint8Array, Uint8Array, (string | null)[], (string | null)[]]>(
    "int posix_spawnp(_Out_ int *pid, const char *file, void *actions, void *attr, const char **argv, const char **envp)", "2.2");
  // The same function, handed an envp pointer as it is (libc's `environ`, read at each spawn).
  const posix_spawnpRawEnv = fn<[Int32Array, string, Uint8Array, Uint8Array, (string | null)[], unknown]>(
    "int posix_spawnp(_Out_ int *pid, const char *file, void *actions, void *attr, const char **argv, void *envp)", "2.2");
  // `environ` as the program sees it (the executable's copy): Node's process.env reads and writes it.
  let environ: unknown;
  const actionsInit = fn<[Uint8Array]>("int posix_spawn_file_actions_init(void *actions)", "2.2");
  const actionsDestroy = fn<[Uint8Array]>("int posix_spawn_file_actions_destroy(void *actions)", "2.2");
  const addDup2 = fn<[Uint8Array, number, number]>("int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)", "2.2");
  const addOpen = fn<[Uint8Array, number, string, number, number]>(
    "int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int flags, unsigned int mode)", "2.2");
  const addClose = fn<[Uint8Array, number]>("int posix_spawn_file_actions_addclose(void *actions, int fd)", "2.2");
  const CLOSEFROM = "int posix_spawn_file_actions_addclosefrom_np(void *actions, int from)";
  const CHDIR = "int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)";
  // Optional: without closefrom (glibc < 2.34, musl), a close action per fd open at the time;
  // without chdir (glibc < 2.29), `cwd` is ENOTSUP.
  let addCloseFrom: Fn<[Uint8Array, number]> | null | undefined;
  let addChdir: Fn<[Uint8Array, string]> | null | undefined;
  const attrInit = fn<[Uint8Array]>("int posix_spawnattr_init(void *attr)", "2.2");
  const attrDestroy = fn<[Uint8Array]>("int posix_spawnattr_destroy(void *attr)", "2.2");
  const attrSetFlags = fn<[Uint8Array, number]>("int posix_spawnattr_setflags(void *attr, short flags)", "2.2");
  const attrSetSigDefault = fn<[Uint8Array, Uint8Array]>("int posix_spawnattr_setsigdefault(void *attr, const void *set)", "2.2");
  const attrSetSigMask = fn<[Uint8Array, Uint8Array]>("int posix_spawnattr_setsigmask(void *attr, const void *set)", "2.2");
  const sigemptyset = fn<[Uint8Array]>("int sigemptyset(void *set)", "");
  const pipe2 = fn<[Int32Array, number]>("int pipe2(void *fds, int flags)", "2.9");
  const socketpair = fn<[number, number, number, Int32Array]>("int socketpair(int domain, int type, int protocol, void *fds)", "");
  // SAFETY: fcntl(2) and waitpid's status pointer: a fixed prototype of integer arguments is passed
  // the same way as the variadic call on the SysV ABIs Linux uses (x86_64, aarch64, riscv64, ...).
  const fcntl = fn<[number, number, number]>("int fcntl(int fd, int cmd, long arg)", "");
  const epoll_create1 = fn<[number]>("int epoll_create1(int flags)", "2.9");
  const epoll_ctl = fn<[number, number, number, Uint8Array | null]>("int epoll_ctl(int epfd, int op, int fd, void *event)", "2.3.2");
  const epoll_wait = fn<[number, Uint8Array, number, number]>("int epoll_wait(int epfd, void *events, int maxevents, int timeout)", "2.3.2");
  const eventfd = fn<[number, number]>("int eventfd(unsigned int initval, int flags)", "2.8");
  const write = fn<[number, Uint8Array, number]>("long write(int fd, const void *buf, unsigned long count)", "");
  const kill = fn<[number, number]>("int kill(int pid, int sig)", "");
  const waitpid = fn<[number, null, number]>("int waitpid(int pid, void *status, int options)", "");
  // SAFETY: prctl(2) is variadic in glibc's header; integer arguments pass as with fcntl above.
  const prctl = fn<[number, number, number, number, number]>(
    "int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)", "");
  const close = fn<[number]>("int close(int fd)", "");
  let uv: UvPolls | undefined;
  if (BIND_AT_ONCE) {
    addCloseFrom = (lookup(CLOSEFROM) as Fn<[Uint8Array, number]> | undefined) ?? null;
    addChdir = (lookup(CHDIR) as Fn<[Uint8Array, string]> | undefined) ?? null;
    try {
      environ = k.load(null).symbol("environ");
      uv = uvPolls(k);
    } catch {
      // a runtime without them (Deno, Bun): left to the calls that need them, which fail as they would have
    }
  }

  const ret = (rc: number): number => (rc < 0 ? -k.errno() : rc);

  // The signal sets never change: filled on the first spawn. Every bit of the default set is set
  // by hand: libc's sigfillset leaves out the signals it keeps for itself (glibc's SIGCANCEL 32
  // and SIGSETXID 33; musl's 32-34), which its posix_spawn would then leave ignored in the child.
  const allSignals = new Uint8Array(SIGSET_SIZE).fill(0xff);
  let noSignals: Uint8Array | undefined;

  // posix_spawnattr_t never changes but for POSIX_SPAWN_SETSID: one prepared attr per value.
  const attrs = new Map<boolean, Uint8Array>();
  function preparedAttr(setsid: boolean): Uint8Array | number {
    let attr = attrs.get(setsid);
    if (attr) return attr;
    if (!noSignals) sigemptyset(noSignals = new Uint8Array(SIGSET_SIZE));
    attr = new Uint8Array(SPAWNATTR_SIZE);
    if (attrInit(attr) !== 0) return ENOMEM; // the only error it has
    const flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (setsid ? POSIX_SPAWN_SETSID : 0);
    const rc = attrSetFlags(attr, flags) || attrSetSigDefault(attr, allSignals) || attrSetSigMask(attr, noSignals);
    if (rc !== 0) {
      attrDestroy(attr);
      return rc;
    }
    attrs.set(setsid, attr);
    return attr;
  }

  // File actions, prepared once per distinct list (their validation costs libc a getrlimit per
  // action); the least recently used list is destroyed when the cache is full. A list whose
  // closefrom became one close per open fd describes this moment's fds only: used once.
  const actionsCache = new Map<string, Uint8Array>();
  /**
   * The most recently used list (a copy) and its prepared actions: a loop of alike spawns finds
   * them by comparing the lists, without building a key.
   */
  let lastList: readonly FileAction[] = [];
  let lastActions: { actions: Uint8Array; once: false } | undefined;
  function preparedActions(list: readonly FileAction[]): { actions: Uint8Array; once: boolean } | number {
    if (lastActions && sameActions(list, lastList)) return lastActions;
    const key = actionsKey(list);
    let actions = actionsCache.get(key);
    if (actions) {
      actionsCache.delete(key);
      actionsCache.set(key, actions);
      lastList = list.map(copyAction);
      return (lastActions = { actions, once: false });
    }
    actions = new Uint8Array(FILE_ACTIONS_SIZE);
    if (actionsInit(actions) !== 0) return ENOMEM;
    let once = false;
    try {
      const rc = addActions(actions, list, () => (once = true));
      if (rc !== 0) {
        actionsDestroy(actions);
        return rc;
      }
    } catch (error) {
      actionsDestroy(actions);
      throw error;
    }
    if (once) return { actions, once };
    actionsCache.set(key, actions);
    if (actionsCache.size > ACTIONS_CACHE_SIZE) {
      const [oldest, old] = actionsCache.entries().next().value as [string, Uint8Array];
      actionsCache.delete(oldest);
      actionsDestroy(old);
    }
    lastList = list.map(copyAction);
    return (lastActions = { actions, once: false });
  }
  const pid = new Int32Array(1);

  /**
   * Fills in the file actions; 0 or a positive errno, as posix_spawn reports them. Without
   * addclosefrom_np, a close action for each fd at or above `from` open now (/proc/self/fd),
   * and `perMoment()` is called: a child started later may need other closes.
   * @throws {PidFdError} ENOTSUP for a chdir without addchdir_np.
   */
  function addActions(actions: Uint8Array, list: readonly FileAction[], perMoment: () => void): number {
    for (const action of list) {
      let rc: number;
      if ("dup2" in action) rc = addDup2(actions, action.dup2[0], action.dup2[1]);
      else if ("open" in action) rc = addOpen(actions, action.open[0], action.open[1], action.open[2], 0);
      else if ("closeFrom" in action) {
        addCloseFrom ??= (lookup(CLOSEFROM) as Fn<[Uint8Array, number]> | undefined) ?? null;
        if (addCloseFrom) rc = addCloseFrom(actions, action.closeFrom);
        else {
          perMoment();
          rc = 0;
          for (const fd of openFdsFrom(action.closeFrom)) if ((rc = addClose(actions, fd)) !== 0) break;
        }
      } else {
        addChdir ??= (lookup(CHDIR) as Fn<[Uint8Array, string]> | undefined) ?? null;
        if (!addChdir) throw missingFunction(functionName(CHDIR), "2.29", EOPNOTSUPP, "spawn()'s cwd option");
        rc = addChdir(actions, action.chdir);
      }
      if (rc !== 0) return rc;
    }
    return 0;
  }

  return {
    spawn(request) {
      const attr = preparedAttr(request.setsid);
      if (typeof attr === "number") return -attr;
      const prepared = preparedActions(request.actions);
      if (typeof prepared === "number") return -prepared;
      const argv: (string | null)[] = request.argv.slice();
      argv.push(null);
      const out = request.pidTo ?? pid;
      try {
        environ ??= request.envp === null ? k.load(null).symbol("environ") : undefined;
        const err = request.envp === null
          ? posix_spawnpRawEnv(out, request.file, prepared.actions, attr, argv, k.decode(environ, "void *"))
          : posix_spawnp(out, request.file, prepared.actions, attr, argv, [...request.envp, null]);
        return err === 0 ? out[0]! : -err;
      } finally {
        if (prepared.once) actionsDestroy(prepared.actions);
      }
    },
    pipe: (fds, flags) => ret(pipe2(fds, flags)),
    socketPair: (fds, flags) => ret(socketpair(AF_UNIX, SOCK_STREAM | flags, 0, fds)),
    fcntl: (fd, cmd, arg) => ret(fcntl(fd, cmd, arg)),
    epollCreate: (flags) => ret(epoll_create1(flags)),
    epollCtl: (epfd, op, fd, event) => ret(epoll_ctl(epfd, op, fd, event)),
    epollWait: (epfd, events, maxevents, timeout) => ret(epoll_wait(epfd, events, maxevents, timeout)),
    eventfd: (initval, flags) => ret(eventfd(initval, flags)),
    write: (fd, buf) => ret(write(fd, buf, buf.length)),
    kill: (pid, sig) => ret(kill(pid, sig)),
    reap(pid) {
      for (;;) {
        const rc = ret(waitpid(pid, null, 0));
        if (rc !== -EINTR) return rc;
      }
    },
    setChildSubreaper: (on) => ret(prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0)),
    close: (fd) => ret(close(fd)),
    pollReadable(fd, callback) {
      uv ??= uvPolls(k);
      return uv.pollReadable(fd, callback);
    },
  };
}

/** Whether two file-action lists are the same actions. */
function sameActions(a: readonly FileAction[], b: readonly FileAction[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ("dup2" in x) {
      if (!("dup2" in y) || x.dup2[0] !== y.dup2[0] || x.dup2[1] !== y.dup2[1]) return false;
    } else if ("open" in x) {
      if (!("open" in y) || x.open[0] !== y.open[0] || x.open[1] !== y.open[1] || x.open[2] !== y.open[2]) return false;
    } else if ("closeFrom" in x) {
      if (!("closeFrom" in y) || x.closeFrom !== y.closeFrom) return false;
    } else if (!("chdir" in y) || x.chdir !== y.chdir) return false;
  }
  return true;
}

/** A copy of a file action that shares nothing with it (the caller may change its own). */
function copyAction(action: FileAction): FileAction {
  if ("dup2" in action) return { dup2: [action.dup2[0], action.dup2[1]] };
  if ("open" in action) return { open: [action.open[0], action.open[1], action.open[2]] };
  return { ...action };
}

/** A string that tells file-action lists apart (a path is length-prefixed, so any path is safe in it). */
function actionsKey(list: readonly FileAction[]): string {
  let key = "";
  for (const action of list) {
    if ("dup2" in action) key += `d${action.dup2[0]},${action.dup2[1]};`;
    else if ("open" in action) key += `o${action.open[0]},${action.open[2]},${action.open[1].length}:${action.open[1]};`;
    else if ("closeFrom" in action) key += `c${action.closeFrom};`;
    else key += `h${action.chdir.length}:${action.chdir};`;
  }
  return key;
}

/** The fds of this process at or above `from`, from /proc/self/fd (the listing's own fd included, closed by then). */
function openFdsFrom(from: number): number[] {
  return fs.readdirSync("/proc/self/fd").map(Number).filter((fd) => fd >= from);
}

interface UvPolls {
  pollReadable: ProcessSyscalls["pollReadable"];
}

/**
 * libuv poll handles through the node executable's own symbols (dlopen, Node-API and libuv), bound
 * on the first pollReadable (in a worker, when the instance is made, if they are there): a runtime
 * without them (Deno, Bun) fails only there.
 */
function uvPolls(k: Koffi): UvPolls {
  const node = k.load(null);
  const dlopen = node.func("void *dlopen(const char *file, int flags)") as (file: string, flags: number) => unknown;
  const WalkCallback = k.proto("void", ["void *", "void *"]);
  const PollCallback = k.proto("void", ["void *", "int", "int"]);
  const napiEventLoop = node.func("napi_get_uv_event_loop", "int", ["void *", k.out(k.pointer("void *"))]) as Fn<[unknown, unknown[]]>;
  const uvWalk = node.func("uv_walk", "void", ["void *", k.pointer(WalkCallback), "void *"]) as (
    loop: unknown, visit: (handle: unknown, arg: unknown) => void, arg: null) => void;
  const uvHandleType = node.func("int uv_handle_get_type(void *handle)") as Fn<[unknown]>;
  const uvIsClosing = node.func("int uv_is_closing(void *handle)") as Fn<[unknown]>;
  const uvFileno = node.func("int uv_fileno(void *handle, _Out_ int *fd)") as Fn<[unknown, Int32Array]>;
  const uvPollStart = node.func("uv_poll_start", "int", ["void *", "int", k.pointer(PollCallback)]) as Fn<[unknown, number, unknown]>;
  const uvRef = node.func("void uv_ref(void *handle)") as (handle: unknown) => void;
  const uvUnref = node.func("void uv_unref(void *handle)") as (handle: unknown) => void;
  let pinned = false;

  /** The uv_poll_t of this thread's loop that polls `fd` (found with uv_walk), or null. */
  function uvPollOf(fd: number): unknown {
    const loop: unknown[] = [null];
    if (napiEventLoop(k.node.env, loop) !== 0) return null;
    const handleFd = new Int32Array(1);
    let found: unknown = null;
    uvWalk(loop[0], (handle) => {
      if (found === null && uvHandleType(handle) === UV_POLL && uvIsClosing(handle) === 0
        && uvFileno(handle, handleFd) === 0 && handleFd[0] === fd) found = handle;
    }, null);
    return found;
  }

  return {
    pollReadable(fd, callback) {
      pinned ||= pinKoffi(dlopen);
      // koffi's handle owns the uv_poll_t and closes it, also as Node frees the environment (its
      // finalizer). But its own callback calls into JavaScript unchecked, which aborts the process
      // (napi_throw in Error::ThrowAsJavaScriptException) when the fd is ready while a worker is
      // being terminated: the handle gets a callback koffi relays only while JavaScript can run.
      const poll = k.node.poll(fd, { readable: true }, () => {});
      const relay = k.register((_handle: unknown, status: number) => callback(status), k.pointer(PollCallback));
      const uv = uvPollOf(fd);
      const rc = uv === null ? -1 : uvPollStart(uv, UV_READABLE, relay);
      if (rc !== 0) {
        poll.close();
        k.unregister(relay);
        throw new Error(`pidfd: cannot take over koffi's poll handle of fd ${fd} (uv_poll_start: ${rc})`);
      }
      return {
        close() {
          poll.close(); // uv_poll_stop: the relay is never called again
          k.unregister(relay);
        },
        // libuv's own functions, not the handle's methods: a method of a koffi object aborts the
        // process when called as a worker is being terminated (Node-API's napi_unwrap fails then,
        // and koffi's error cannot be thrown), a plain function call does not.
        ref: () => uvRef(uv),
        unref: () => uvUnref(uv),
      };
    },
  };
}

/**
 * Keeps koffi's native module mapped until the process ends: dlopen(RTLD_NOLOAD | RTLD_NODELETE)
 * of the file already loaded (it is found in /proc/self/maps). Node unloads a worker's addons
 * when it frees the worker's environment, but libuv runs the close callback of a poll handle
 * (koffi's code) after that, in the worker's last loop iteration; a handle koffi closes as the
 * environment goes (terminate()) would then jump into unmapped memory (SIGSEGV in
 * uv__finish_close) unless another thread of the process has koffi loaded too.
 */
function pinKoffi(dlopen: (file: string, flags: number) => unknown): true {
  let maps: string;
  try {
    maps = fs.readFileSync("/proc/self/maps", "utf8"); // utf8: the path as dlopen gets it, in one native call
  } catch (error) {
    throw new PidFdError({ errno: -((error as NodeJS.ErrnoException).errno ?? -EIO), syscall: "open",
      detail: "/proc/self/maps, read to keep koffi's native module loaded for poll handles", cause: error });
  }
  const files = new Set<string>();
  for (const line of maps.split("\n")) {
    const path = line.slice(line.indexOf("/"));
    if (line.includes("/") && path.endsWith("/koffi.node")) files.add(path);
  }
  const kept = [...files].filter((file) => dlopen(file, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) !== null);
  if (kept.length === 0) throw new Error("pidfd: koffi's native module is not in /proc/self/maps, so it cannot be kept loaded for poll handles");
  return true;
}
