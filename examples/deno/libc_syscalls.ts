// The core's syscall backend for Deno: libc through Deno's own FFI (Deno.dlopen), no koffi and no
// Node API. Implements the Syscalls interface of host/sys/syscalls.ts (one method per import of
// docs/abi.md), after the import object of "pidfd/portable" has bounds-checked every pointer + length.
import type { Syscalls } from "pidfd/portable";

const libc = Deno.dlopen("libc.so.6", {
  __errno_location: { parameters: [], result: "pointer" },
  syscall: { parameters: ["i64", "i64", "i64", "i64", "i64"], result: "i64" },
  waitid: { parameters: ["i32", "i32", "buffer", "i32"], result: "i32" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
  fstatfs: { parameters: ["i32", "buffer"], result: "i32" },
  name_to_handle_at: { parameters: ["i32", "buffer", "buffer", "buffer", "i32"], result: "i32" },
  open_by_handle_at: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  setns: { parameters: ["i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  readlink: { parameters: ["buffer", "buffer", "u64"], result: "i64" },
  posix_spawnp: { parameters: ["buffer", "buffer", "pointer", "pointer", "buffer", "buffer"], result: "i32" },
  // The only blocking call, on a thread of Deno's pool: the event loop stays free (waitAsync).
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
} as const);

/** Syscall numbers, the same on x86_64 and aarch64 (the unified table from Linux 5.1 on). */
const SYS_pidfd_send_signal = 424n, SYS_pidfd_open = 434n, SYS_pidfd_getfd = 438n, SYS_process_mrelease = 448n;
const O_RDONLY = 0, O_CLOEXEC = 0x80000; // x86_64 and aarch64
const EINTR = 4;

/** errno of the libc call just made. */
function errno(): number {
  return new Deno.UnsafePointerView(libc.symbols.__errno_location()!).getInt32();
}

/** `rc`, or -errno when libc returned -1, retried while EINTR. */
function check(call: () => number | bigint): number {
  for (;;) {
    const rc = Number(call());
    if (rc !== -1) return rc;
    const err = errno();
    if (err !== EINTR) return -err;
  }
}

/** The address of `bytes` for a raw syscall argument; 0 (NULL) for null. */
function address(bytes: Uint8Array | null): bigint {
  return bytes ? BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes as Uint8Array<ArrayBuffer>))) : 0n;
}

/** A NUL-terminated copy of `text`. */
export function cString(text: string): Uint8Array {
  return new TextEncoder().encode(`${text}\0`);
}

/** The real kernel, through libc. */
export const libcSyscalls: Syscalls = {
  pidfdOpen: (pid, flags) => check(() => libc.symbols.syscall(SYS_pidfd_open, BigInt(pid), BigInt(flags), 0n, 0n)),
  pidfdSendSignal: (pidfd, sig, info, flags) => // info: a siginfo_t, or NULL
    check(() => libc.symbols.syscall(SYS_pidfd_send_signal, BigInt(pidfd), BigInt(sig), address(info), BigInt(flags))),
  processMrelease: (pidfd, flags) => check(() => libc.symbols.syscall(SYS_process_mrelease, BigInt(pidfd), BigInt(flags), 0n, 0n)),
  pidfdGetfd: (pidfd, targetfd, flags) => check(() => libc.symbols.syscall(SYS_pidfd_getfd, BigInt(pidfd), BigInt(targetfd), BigInt(flags), 0n)),
  waitid: (idtype, id, info, options) => check(() => libc.symbols.waitid(idtype, id, info, options)),
  ioctl: (fd, request, arg) => check(() => libc.symbols.ioctl(fd, BigInt(request), arg)),
  fstat: (fd, stat) => check(() => libc.symbols.fstat(fd, stat)),
  fstatfs: (fd, statfs) => check(() => libc.symbols.fstatfs(fd, statfs)),
  nameToHandleAt: (dirfd, path, handle, mountId, flags) => check(() => libc.symbols.name_to_handle_at(dirfd, path, handle, mountId, flags)),
  openByHandleAt: (mountFd, handle, flags) => check(() => libc.symbols.open_by_handle_at(mountFd, handle, flags)),
  getsockopt(fd, level, optname, optval) {
    const optlen = new Uint32Array([optval.length]);
    const rc = check(() => libc.symbols.getsockopt(fd, level, optname, optval, optlen));
    return rc < 0 ? rc : optlen[0]!;
  },
  setns: (fd, nstype) => check(() => libc.symbols.setns(fd, nstype)),
  close: (fd) => Number(libc.symbols.close(fd)) === -1 ? -errno() : 0, // never retried: the fd is gone
  readFdinfo(fd, buf) {
    const file = check(() => libc.symbols.open(cString(`/proc/self/fdinfo/${fd}`), O_RDONLY | O_CLOEXEC));
    if (file < 0) return file;
    let length = 0;
    while (length < buf.length) { // until EOF or a full buffer (docs/abi.md, read_fdinfo)
      const n = check(() => libc.symbols.read(file, buf.subarray(length), BigInt(buf.length - length)));
      if (n <= 0) {
        libc.symbols.close(file);
        return n < 0 ? n : length;
      }
      length += n;
    }
    libc.symbols.close(file);
    return length;
  },
};

/** readlink(2) of /proc/self/fd/<fd>: "net:[4026531840]" for a namespace fd. */
export function fdLink(fd: number): string {
  const buf = new Uint8Array(256);
  const n = check(() => libc.symbols.readlink(cString(`/proc/self/fd/${fd}`), buf, BigInt(buf.length)));
  return n < 0 ? `errno ${-n}` : new TextDecoder().decode(buf.subarray(0, n));
}

/** posix_spawnp(3) of `argv` with an empty environment: the child's pid, or -errno. */
export function spawn(argv: readonly string[]): number {
  const strings = argv.map(cString); // kept alive until posix_spawnp returns
  const pointers = new BigUint64Array(argv.length + 1);
  strings.forEach((s, i) => pointers[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(s))));
  const pid = new Int32Array(1);
  const rc = libc.symbols.posix_spawnp(pid, strings[0]!, null, null, pointers, new BigUint64Array(1));
  return rc === 0 ? pid[0]! : -rc;
}

/** Resolves once `fd` is readable (poll(2) with POLLIN, no timeout, on another thread). */
export async function readable(fd: number): Promise<void> {
  const pollfd = new Int32Array([fd, 1 /* POLLIN */]);
  for (;;) {
    const rc = await libc.symbols.poll(pollfd, 1n, -1);
    if (rc > 0) return;
    // -1 here is EINTR (errno is the pool thread's, not ours): poll again.
  }
}
