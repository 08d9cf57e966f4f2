// The real backend: libc through koffi. One prototype per syscall; errno is read in the same
// expression as the call (nothing may run in between, see docs/architecture.md).
// koffi is loaded on first use only (sys/libc.ts), so the decoders work where its binary is missing.
import fs from "node:fs";
import { koffi, libc, type Koffi } from "./libc.js";
import { koffiProcessSyscalls } from "./process.js";
import type { Syscalls } from "./syscalls.js";

type Fn<A extends unknown[]> = (...args: A) => number;

let instance: Syscalls | undefined;

/**
 * The real kernel, through libc (loads koffi and libc on the first call); its `processSyscalls` half
 * (spawn, pipes, epoll) is bound on first use.
 */
export function koffiSyscalls(): Syscalls {
  if (OTHER_ERRNO_ARCHES.includes(process.arch)) {
    throw new Error(`pidfd: ${process.arch} numbers errno differently from asm-generic (docs/abi.md), and this host does not translate them`);
  }
  return instance ??= bindLibc(koffi(), libc());
}

/** Architectures whose errno numbers are not asm-generic's, which the core's ABI speaks. */
const OTHER_ERRNO_ARCHES = ["mips", "mipsel", "mips64el", "sparc64", "alpha"];

function bindLibc(koffi: Koffi, libc: ReturnType<Koffi["load"]>): Syscalls {
  // glibc >= 2.36 has the pidfd wrappers; older ones (and musl) get the raw syscall, whose numbers
  // are the same on every architecture with the unified syscall table.
  function pidfdCall<A extends unknown[]>(prototype: string, nr: number): Fn<A> {
    try {
      return libc.func(prototype) as Fn<A>;
    } catch {
      // SAFETY: syscall(2) is variadic; a fixed prototype of integer/pointer arguments is passed
      // the same way on the SysV ABIs Linux uses (x86_64, aarch64, riscv64, ...).
      const raw = libc.func("long syscall(long nr, long a, long b, long c, long d)") as Fn<number[]>;
      return ((...args: A) => raw(nr, ...(args.map((a) => (a === null ? 0 : a)) as number[]))) as Fn<A>;
    }
  }

  const pidfd_open = pidfdCall<[number, number]>("int pidfd_open(int pid, unsigned int flags)", 434);
  const pidfd_send_signal = pidfdCall<[number, number, Uint8Array | null, number]>(
    "int pidfd_send_signal(int pidfd, int sig, void *info, unsigned int flags)", 424);
  const process_mrelease = pidfdCall<[number, number]>("int process_mrelease(int pidfd, unsigned int flags)", 448);
  const pidfd_getfd = pidfdCall<[number, number, number]>("int pidfd_getfd(int pidfd, int targetfd, unsigned int flags)", 438);
  const waitid = libc.func("int waitid(int idtype, unsigned int id, void *infop, int options)") as Fn<[number, number, Uint8Array, number]>;
  // SAFETY: ioctl(2) is variadic; the fixed three-argument prototype passes the pointer (or NULL
  // for the namespace ioctls, which need an explicit 0) exactly as a variadic call would.
  const ioctl = libc.func("int ioctl(int fd, unsigned long request, void *arg)") as Fn<[number, number, Uint8Array | null]>;
  const fstat = libc.func("int fstat(int fd, void *statbuf)") as Fn<[number, Uint8Array]>;
  const fstatfs = libc.func("int fstatfs(int fd, void *buf)") as Fn<[number, Uint8Array]>;
  const name_to_handle_at = libc.func(
    "int name_to_handle_at(int dirfd, void *path, void *handle, void *mount_id, int flags)",
  ) as Fn<[number, Uint8Array, Uint8Array, Uint8Array, number]>;
  const open_by_handle_at = libc.func("int open_by_handle_at(int mount_fd, void *handle, int flags)") as Fn<[number, Uint8Array, number]>;
  const getsockopt = libc.func(
    "int getsockopt(int fd, int level, int optname, void *optval, _Inout_ uint32_t *optlen)",
  ) as Fn<[number, number, number, Uint8Array, [number]]>;
  const setns = libc.func("int setns(int fd, int nstype)") as Fn<[number, number]>;
  const close = libc.func("int close(int fd)") as Fn<[number]>;

  /** Turns a libc result into `rc` or `-errno`; call it directly on the libc call's result. */
  function ret(rc: number): number {
    return rc < 0 ? -koffi.errno() : rc;
  }

  return {
    get processSyscalls() {
      return koffiProcessSyscalls();
    },
    pidfdOpen: (pid, flags) => ret(pidfd_open(pid, flags)),
    pidfdSendSignal: (pidfd, sig, info, flags) => ret(pidfd_send_signal(pidfd, sig, info, flags)),
    processMrelease: (pidfd, flags) => ret(process_mrelease(pidfd, flags)),
    pidfdGetfd: (pidfd, targetfd, flags) => ret(pidfd_getfd(pidfd, targetfd, flags)),
    waitid: (idtype, id, info, options) => ret(waitid(idtype, id, info, options)),
    ioctl: (fd, request, arg) => ret(ioctl(fd, request, arg)),
    fstat: (fd, stat) => ret(fstat(fd, stat)),
    fstatfs: (fd, statfs) => ret(fstatfs(fd, statfs)),
    nameToHandleAt: (dirfd, path, handle, mountId, flags) => ret(name_to_handle_at(dirfd, path, handle, mountId, flags)),
    openByHandleAt: (mountFd, handle, flags) => ret(open_by_handle_at(mountFd, handle, flags)),
    getsockopt(fd, level, optname, optval) {
      const optlen: [number] = [optval.length];
      const rc = ret(getsockopt(fd, level, optname, optval, optlen));
      return rc < 0 ? rc : optlen[0];
    },
    setns: (fd, nstype) => ret(setns(fd, nstype)),
    close: (fd) => ret(close(fd)),
    readFdinfo(fd, buf) {
      let file: number | undefined;
      try {
        file = fs.openSync(`/proc/self/fdinfo/${fd}`, fs.constants.O_RDONLY); // libuv adds O_CLOEXEC
        return fs.readSync(file, buf, 0, buf.length, 0);
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).errno;
        return typeof errno === "number" && errno < 0 ? errno : -5; // EIO when Node gives no errno
      } finally {
        if (file !== undefined) fs.closeSync(file);
      }
    },
  };
  }
