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
  /** `pidfd_send_signal(pidfd, sig, NULL, flags)`, Linux 5.1. */
  pidfdSendSignal(pidfd: number, sig: number, flags: number): number;
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
  /** `setns(fd, nstype)`; a pidfd as `fd` needs Linux 5.8. */
  setns(fd: number, nstype: number): number;
  /** `close(fd)`. */
  close(fd: number): number;
  /** Reads `/proc/self/fdinfo/<fd>` into `buf`: bytes read, or -errno. */
  readFdinfo(fd: number, buf: Uint8Array): number;
  /**
   * True when the fds this backend hands out are not this process's own (a simulated kernel):
   * waitAsync(), which has libuv poll the real fd, refuses such a backend.
   */
  readonly simulated?: boolean;
}

/** The names of the Syscalls methods, in import order (for wrappers such as tracing). */
export const SYSCALL_NAMES = [
  "pidfdOpen", "pidfdSendSignal", "pidfdGetfd", "waitid", "ioctl", "fstat", "fstatfs",
  "nameToHandleAt", "setns", "close", "readFdinfo",
] as const satisfies readonly (keyof Syscalls)[];


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
  setns: () => -ENOSYS,
  close: () => -ENOSYS,
  readFdinfo: () => -ENOSYS,
};
