import { ENOSYS } from "../errno.js";

/**
 * The syscalls a backend provides to the core: one method per `pidfd_host` import
 * (assembly/host.ts), after the import layer (host/imports.ts) has turned pointer + length pairs
 * into views of the core's memory. Every method returns `>= 0` or `-errno` (asm-generic
 * numbering) and never throws. A `null` buffer means NULL.
 *
 * Backends: `koffiSyscalls` (the real kernel, host/sys/koffi.ts), `SimulatedKernel`
 * (host/sys/simulated.ts), and the wrappers `traceSyscalls` and `PolicySyscalls`.
 */
export interface Syscalls {
  /** `pidfd_open(pid, flags)`, Linux 5.3. */
  pidfdOpen(pid: number, flags: number): number;
  /**
   * `pidfd_send_signal(pidfd, sig, info, flags)`, Linux 5.1: `info` is a 128-byte siginfo_t the
   * core encoded (sigqueue's SI_QUEUE), or null for NULL (the kernel's SI_USER).
   */
  pidfdSendSignal(pidfd: number, sig: number, info: Uint8Array | null, flags: number): number;
  /** `pidfd_getfd(pidfd, targetfd, flags)`, Linux 5.6. */
  pidfdGetfd(pidfd: number, targetfd: number, flags: number): number;
  /** `waitid(idtype, id, infop, options)`; P_PIDFD needs Linux 5.4. */
  waitid(idtype: number, id: number, info: Uint8Array, options: number): number;
  /** `ioctl(fd, request, arg)`. */
  ioctl(fd: number, request: number, arg: Uint8Array | null): number;
  /** `fstat(fd, statbuf)`. */
  fstat(fd: number, stat: Uint8Array): number;
  /** `fstatfs(fd, buf)`. */
  fstatfs(fd: number, statfs: Uint8Array): number;
  /** `name_to_handle_at(dirfd, path, handle, mount_id, flags)`; `path` is NUL-terminated. */
  nameToHandleAt(dirfd: number, path: Uint8Array, handle: Uint8Array, mountId: Uint8Array, flags: number): number;
  /** `open_by_handle_at(mount_fd, handle, flags)`; pidfs handles need Linux 6.13. A new fd, or -errno. */
  openByHandleAt(mountFd: number, handle: Uint8Array, flags: number): number;
  /**
   * `getsockopt(fd, level, optname, optval, &optlen)` with `optlen` = `optval.length`: the length the
   * kernel wrote back, or -errno. SO_PEERPIDFD needs Linux 6.5.
   */
  getsockopt(fd: number, level: number, optname: number, optval: Uint8Array): number;
  /** `setns(fd, nstype)`; a pidfd as `fd` needs Linux 5.8. */
  setns(fd: number, nstype: number): number;
  /** `close(fd)`. */
  close(fd: number): number;
  /** Reads `/proc/self/fdinfo/<fd>` into `buf`: bytes read, or -errno. */
  readFdinfo(fd: number, buf: Uint8Array): number;
  /** `process_mrelease(pidfd, flags)`, Linux 5.15. */
  processMrelease(pidfd: number, flags: number): number;
  /**
   * True when the fds this backend hands out are not this process's own (a simulated kernel):
   * waitAsync(), which has libuv poll the real fd, refuses such a backend.
   */
  readonly simulated?: boolean;
  /**
   * Called once by loadCore() with the core that will call this backend, once it has been set to
   * its architecture: a backend that must name ioctl requests (a policy) asks this core for the
   * codes rather than starting a core of its own.
   */
  attach?(core: RequestCodes, arch: number): void;
  /** spawn(), pipes, fcntl and epoll through the same backend; without it, spawn() is ENOSYS. */
  readonly processSyscalls?: ProcessSyscalls;
}

/** One step the child performs between fork and exec, in order (posix_spawn_file_actions_t). */
export type FileAction =
  | { dup2: [from: number, to: number] }
  | { open: [fd: number, path: string, flags: number] }
  | { closeFrom: number }
  | { chdir: string };

/** What posix_spawnp runs, and how. */
export interface SpawnRequest {
  file: string;
  argv: readonly string[];
  /** "KEY=value" strings, or null for this process's own environment (libc's `environ`). */
  envp: readonly string[] | null;
  actions: readonly FileAction[];
  /** Start a new session (POSIX_SPAWN_SETSID). */
  setsid: boolean;
  /**
   * Where posix_spawnp itself writes the child's pid (its `pid` argument), besides the return
   * value: a worker's cell of shared memory, read by whoever cleans up after it if it is
   * terminated before it holds the child by its pidfd. A backend that starts no real process ignores it.
   */
  pidTo?: Int32Array;
}

/** A libuv poll handle (uv_poll_t) watching one fd on this thread's event loop. */
export interface PollHandle {
  close(): void;
  ref(): void;
  unref(): void;
}

/**
 * The libc calls that start and watch processes, which the core does not make: the second half of
 * the seam, beside Syscalls (a backend offers it as `Syscalls.processSyscalls`). Every method returns
 * `>= 0` or `-errno` and never throws, but pollReadable, and a PidFdError ENOSYS naming a function
 * the C library lacks (with the glibc version that added it).
 */
export interface ProcessSyscalls {
  /**
   * posix_spawnp(3) with every signal the libc lets a child reset at its default disposition (its
   * own internal signals too) and an empty mask: the pid or -errno.
   */
  spawn(request: SpawnRequest): number;
  /** pipe2(fds, flags): 0 or -errno; `fds` receives [read end, write end]. */
  pipe(fds: Int32Array, flags: number): number;
  /** socketpair(AF_UNIX, SOCK_STREAM | flags, 0, fds): 0 or -errno; `fds` receives two connected ends. */
  socketPair(fds: Int32Array, flags: number): number;
  /** fcntl(fd, cmd, arg) for the integer commands (F_DUPFD_CLOEXEC, F_GETFL, F_SETFL). */
  fcntl(fd: number, cmd: number, arg: number): number;
  /** epoll_create1(flags). */
  epollCreate(flags: number): number;
  /** epoll_ctl(epfd, op, fd, event): `event` is a struct epoll_event the core encoded, or null for DEL. */
  epollCtl(epfd: number, op: number, fd: number, event: Uint8Array | null): number;
  /**
   * epoll_wait(epfd, events, maxevents, timeout): the count, or -errno. The core decodes `events`.
   * `timeout` 0 never blocks; the watcher's helper thread alone blocks (-1 or a bound), off the
   * event loop.
   */
  epollWait(epfd: number, events: Uint8Array, maxevents: number, timeout: number): number;
  /** eventfd(initval, flags) (Linux 2.6.27 for EFD_CLOEXEC): wakes the watcher's helper thread. */
  eventfd(initval: number, flags: number): number;
  /** write(fd, buf, buf.length): bytes written, or -errno. */
  write(fd: number, buf: Uint8Array): number;
  /** kill(pid, sig): only for a child of ours that is not reaped yet (its pid cannot be reused). */
  kill(pid: number, sig: number): number;
  /** waitpid(pid, NULL, 0): reaps a child of ours that we could not get a pidfd for. */
  reap(pid: number): number;
  /**
   * prctl(PR_SET_CHILD_SUBREAPER, on) (Linux 3.4): makes this whole process (every thread) the
   * reaper of its orphaned descendants, or stops it being one. 0 or -errno.
   */
  setChildSubreaper(on: boolean): number;
  close(fd: number): number;
  /**
   * Watches `fd` for readability on this thread's event loop (uv_poll; no thread). libuv sets
   * O_NONBLOCK on the fd. `callback` gets libuv's status (0, or a negative UV_E* code); it is not
   * called once the thread's JavaScript has stopped (a worker being terminated). Never two handles
   * on one fd: libuv aborts the process. Close the handle before its fd; a handle left open is
   * closed with the thread's environment.
   * @throws {Error} when koffi's native module cannot be pinned or its handle taken over.
   */
  pollReadable(fd: number, callback: (status: number) => void): PollHandle;
}

/** No process syscalls: spawn, pipes, socket pairs and epoll answer -ENOSYS. */
export const noProcessSyscalls: ProcessSyscalls = {
  spawn: () => -ENOSYS,
  pipe: () => -ENOSYS,
  socketPair: () => -ENOSYS,
  fcntl: () => -ENOSYS,
  epollCreate: () => -ENOSYS,
  epollCtl: () => -ENOSYS,
  epollWait: () => -ENOSYS,
  eventfd: () => -ENOSYS,
  write: () => -ENOSYS,
  kill: () => -ENOSYS,
  reap: () => -ENOSYS,
  setChildSubreaper: () => -ENOSYS,
  close: () => -ENOSYS,
  pollReadable() {
    throw new Error("pidfd: this backend cannot poll fds (no process syscalls)");
  },
};


/** The core exports that build the PIDFS ioctl request codes of an architecture. */
export interface RequestCodes {
  namespace_request(arch: number, type: number): number;
  get_info_request(arch: number, size: number): number;
}

/** A backend with no kernel behind it: every call answers -ENOSYS. Enough for the decoders. */
export const noSyscalls: Syscalls = {
  pidfdOpen: () => -ENOSYS,
  pidfdSendSignal: () => -ENOSYS,
  pidfdGetfd: () => -ENOSYS,
  waitid: () => -ENOSYS,
  ioctl: () => -ENOSYS,
  fstat: () => -ENOSYS,
  fstatfs: () => -ENOSYS,
  nameToHandleAt: () => -ENOSYS,
  openByHandleAt: () => -ENOSYS,
  getsockopt: () => -ENOSYS,
  setns: () => -ENOSYS,
  close: () => -ENOSYS,
  readFdinfo: () => -ENOSYS,
  processMrelease: () => -ENOSYS,
};
