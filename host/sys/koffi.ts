// The real backend: libc through koffi. One prototype per syscall; errno is read in the same
// expression as the call (nothing may run in between, see docs/architecture.md).
// koffi is loaded on first use only (sys/libc.ts), so the decoders work where its binary is missing.
import fs from "node:fs";
import { ENOSYS } from "../errno.js";
import { BIND_AT_ONCE, koffi, libcSymbols, type Koffi, type SymbolLookup } from "./libc.js";
import { koffiProcessSyscalls } from "./process.js";
import type { Syscalls } from "./syscalls.js";

type Fn<A extends unknown[]> = (...args: A) => number;

let instance: Syscalls | undefined;

/**
 * The real kernel, through libc (loads koffi and libc on the first call); its `processSyscalls`
 * half (spawn, pipes, epoll) is bound on first use, in a worker at once (BIND_AT_ONCE). A function
 * the C library lacks fails only the calls that need it (-ENOSYS here; a PidFdError naming it in
 * the process half); the pidfd calls fall back to syscall(2).
 * `lookup` (tests: a libc without some symbols) gives a fresh backend of its own.
 */
export function koffiSyscalls(lookup?: SymbolLookup): Syscalls {
  if (OTHER_ERRNO_ARCHES.includes(process.arch)) {
    throw new Error(`pidfd: ${process.arch} numbers errno differently from asm-generic (docs/abi.md), and this host does not translate them`);
  }
  return lookup ? bindLibc(koffi(), lookup) : instance ??= bindLibc(koffi(), libcSymbols);
}

/** Architectures whose errno numbers are not asm-generic's, which the core's ABI speaks. */
const OTHER_ERRNO_ARCHES = ["mips", "mipsel", "mips64el", "sparc64", "alpha"];

function bindLibc(koffi: Koffi, lookup: SymbolLookup): Syscalls {
  // Looked up at once (no wrapper on the hot paths). A missing one answers -ENOSYS when called, as
  // a kernel without the call would: the import layer lets nothing thrown through the core.
  const fn = <A extends unknown[]>(prototype: string): Fn<A> => (lookup(prototype) as Fn<A> | undefined) ?? (() => -ENOSYS);
  // glibc >= 2.36 has the pidfd wrappers; older ones (and musl) get the raw syscall, whose numbers
  // are the same on every architecture with the unified syscall table.
  function pidfdCall<A extends unknown[]>(prototype: string, nr: number, raw = "long syscall(long nr, long a, long b, long c, long d)"): Fn<A> {
    const wrapper = lookup(prototype) as Fn<A> | undefined;
    if (wrapper) return wrapper;
    // SAFETY: syscall(2) is variadic; a fixed prototype of integer/pointer arguments is passed
    // the same way on the SysV ABIs Linux uses (x86_64, aarch64, riscv64, ...).
    const call = fn<unknown[]>(raw);
    return ((...args: A) => {
      const padded: unknown[] = [...args];
      while (padded.length < 4) padded.push(0);
      return call(nr, ...padded);
    }) as Fn<A>;
  }

  const pidfd_open = pidfdCall<[number, number]>("int pidfd_open(int pid, unsigned int flags)", 434);
  const pidfd_send_signal = pidfdCall<[number, number, Uint8Array | null, number]>(
    "int pidfd_send_signal(int pidfd, int sig, void *info, unsigned int flags)", 424,
    "long syscall(long nr, long pidfd, long sig, void *info, long flags)");
  const process_mrelease = pidfdCall<[number, number]>("int process_mrelease(int pidfd, unsigned int flags)", 448);
  const pidfd_getfd = pidfdCall<[number, number, number]>("int pidfd_getfd(int pidfd, int targetfd, unsigned int flags)", 438);
  const waitid = fn<[number, number, Uint8Array, number]>("int waitid(int idtype, unsigned int id, void *infop, int options)");
  // SAFETY: ioctl(2) is variadic; the fixed three-argument prototype passes the pointer (or NULL
  // for the namespace ioctls, which need an explicit 0) exactly as a variadic call would.
  const ioctl = fn<[number, number, Uint8Array | null]>("int ioctl(int fd, unsigned long request, void *arg)");
  const fstat = fn<[number, Uint8Array]>("int fstat(int fd, void *statbuf)");
  const fstatfs = fn<[number, Uint8Array]>("int fstatfs(int fd, void *buf)");
  const name_to_handle_at = fn<[number, Uint8Array, Uint8Array, Uint8Array, number]>(
    "int name_to_handle_at(int dirfd, void *path, void *handle, void *mount_id, int flags)");
  const open_by_handle_at = fn<[number, Uint8Array, number]>("int open_by_handle_at(int mount_fd, void *handle, int flags)");
  const getsockopt = fn<[number, number, number, Uint8Array, [number]]>(
    "int getsockopt(int fd, int level, int optname, void *optval, _Inout_ uint32_t *optlen)");
  const setns = fn<[number, number]>("int setns(int fd, int nstype)");
  const close = fn<[number]>("int close(int fd)");

  let processHalf = BIND_AT_ONCE ? koffiProcessSyscalls(lookup === libcSymbols ? undefined : lookup) : undefined;

  /**
   * Turns a libc result into `rc` or `-errno`; call it directly on the libc call's result. These
   * calls fail with -1 only; another negative value is the -ENOSYS of a missing function.
   */
  function ret(rc: number): number {
    return rc === -1 ? -koffi.errno() : rc;
  }

  return {
    get processSyscalls() {
      return processHalf ??= koffiProcessSyscalls(lookup === libcSymbols ? undefined : lookup);
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
