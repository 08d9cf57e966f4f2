// The host ABI, version 2: every function this core imports, all from module "pidfd_host".
//
// Rules every import follows:
// - Arguments are numbers only: fds, flags, and pointer + length pairs into this module's memory.
// - A result >= 0 is success; a negative result is -errno, with errno in the asm-generic
//   (x86_64/aarch64/riscv) numbering whatever the host's architecture.
// - The host checks every pointer + length against this module's memory before using it and
//   returns -EFAULT (-14) instead of throwing; a length of 0 passes NULL to the kernel.
// - The host may refuse any call (a sandbox policy) with -EPERM, -ESRCH or -ENOSYS.
//
// docs/abi.md describes the same list for embedders; test/embedding/abi.test.ts keeps the two in step.

/**
 * `pidfd_open(pid, flags)` (Linux 5.3): a new pidfd for `pid`, or -errno.
 * PIDFD_NONBLOCK needs Linux 5.10, PIDFD_THREAD Linux 6.9.
 */
// @ts-ignore: decorator
@external("pidfd_host", "pidfd_open")
export declare function pidfd_open(
  /** Input: the process id. */
  pid: i32,
  /** Input: PIDFD_NONBLOCK and/or PIDFD_THREAD, in the host architecture's O_* values. */
  flags: u32
): i32;

/**
 * `pidfd_send_signal(pidfd, sig, info, flags)` (Linux 5.1): 0 or -errno. With `info_len` 0 the
 * host passes NULL (the kernel fills in SI_USER); otherwise `info` is a 128-byte `siginfo_t`
 * (the sender's own, e.g. SI_QUEUE with a value). The scope flags PIDFD_SIGNAL_THREAD /
 * _THREAD_GROUP / _PROCESS_GROUP need Linux 6.9.
 */
// @ts-ignore: decorator
@external("pidfd_host", "pidfd_send_signal")
export declare function pidfd_send_signal(
  /** Input: the pidfd. */
  pidfd: i32,
  /** Input: the signal number, 0 to probe. */
  sig: i32,
  /** Input: siginfo_t, or ignored when `info_len` is 0. */
  info: usize,
  /** Input: bytes at `info`: 0 (NULL) or at least 128. */
  info_len: u32,
  /** Input: PIDFD_SIGNAL_* scope flags, or 0. */
  flags: u32
): i32;

/** `pidfd_getfd(pidfd, targetfd, 0)` (Linux 5.6): a new O_CLOEXEC fd, or -errno. */
// @ts-ignore: decorator
@external("pidfd_host", "pidfd_getfd")
export declare function pidfd_getfd(
  /** Input: the pidfd. */
  pidfd: i32,
  /** Input: the fd number in the target process. */
  targetfd: i32,
  /** Input: reserved, 0. */
  flags: u32
): i32;

/**
 * `waitid(idtype, id, infop, options)` (P_PIDFD: Linux 5.4): 0 or -errno.
 * The kernel writes a 128-byte `siginfo_t` at `infop`.
 */
// @ts-ignore: decorator
@external("pidfd_host", "waitid")
export declare function waitid(
  /** Input: P_PIDFD (3). */
  idtype: i32,
  /** Input: the pidfd. */
  id: i32,
  /** Output: siginfo_t. */
  infop: usize,
  /** Input: bytes at `infop` (128). */
  infolen: u32,
  /** Input: WEXITED, WNOHANG, WNOWAIT, ... */
  options: i32
): i32;

/**
 * `ioctl(fd, request, arg)`: the ioctl's result (a new fd for the namespace ioctls), or -errno.
 * With `len` 0 the host passes a NULL/0 third argument (the PIDFS namespace ioctls need it).
 */
// @ts-ignore: decorator
@external("pidfd_host", "ioctl")
export declare function ioctl(
  /** Input: the fd. */
  fd: i32,
  /** Input: the request code, built by ioctl.ts for the host's architecture. */
  request: u32,
  /** Input/Output: the argument buffer. */
  arg: usize,
  /** Input: bytes at `arg`; 0 for no buffer. */
  len: u32
): i32;

/** `fstat(fd, statbuf)`: 0 or -errno. The kernel writes the architecture's `struct stat`. */
// @ts-ignore: decorator
@external("pidfd_host", "fstat")
export declare function fstat(
  /** Input: the fd. */
  fd: i32,
  /** Output: struct stat. */
  buf: usize,
  /** Input: bytes at `buf` (at least 144). */
  len: u32
): i32;

/** `fstatfs(fd, buf)`: 0 or -errno. The kernel writes the architecture's `struct statfs`. */
// @ts-ignore: decorator
@external("pidfd_host", "fstatfs")
export declare function fstatfs(
  /** Input: the fd. */
  fd: i32,
  /** Output: struct statfs. */
  buf: usize,
  /** Input: bytes at `buf` (at least 120). */
  len: u32
): i32;

/**
 * `name_to_handle_at(dirfd, path, handle, mount_id, flags)` (pidfs handles: Linux 6.13): 0 or -errno.
 * The host also checks that `path` holds a NUL within `path_len` and that the handle's
 * `handle_bytes` field fits within `handle_len`; otherwise -EFAULT.
 */
// @ts-ignore: decorator
@external("pidfd_host", "name_to_handle_at")
export declare function name_to_handle_at(
  /** Input: the fd (a pidfd, with AT_EMPTY_PATH). */
  dirfd: i32,
  /** Input: NUL-terminated path. */
  path: usize,
  /** Input: bytes at `path`. */
  path_len: u32,
  /** Input/Output: struct file_handle; `handle_bytes` in, handle out. */
  handle: usize,
  /** Input: bytes at `handle`. */
  handle_len: u32,
  /** Output: the mount id (i32). */
  mount_id: usize,
  /** Input: AT_EMPTY_PATH, ... */
  flags: i32
): i32;

/**
 * `open_by_handle_at(mount_fd, handle, flags)` (pidfs handles: Linux 6.13): a new fd, or -errno.
 * The host checks that `handle_len` holds the 8-byte header and that its `handle_bytes` field
 * fits within `handle_len`; otherwise -EFAULT.
 */
// @ts-ignore: decorator
@external("pidfd_host", "open_by_handle_at")
export declare function open_by_handle_at(
  /** Input: any fd on the handle's filesystem (for pidfs: any pidfd). */
  mount_fd: i32,
  /** Input: struct file_handle. */
  handle: usize,
  /** Input: bytes at `handle`. */
  handle_len: u32,
  /** Input: open flags: O_CLOEXEC, O_NONBLOCK, O_EXCL (PIDFD_THREAD). */
  flags: i32
): i32;

/**
 * `getsockopt(fd, level, optname, optval, &optlen)` (SO_PEERCRED; SO_PEERPIDFD: Linux 6.5): the
 * option's length as the kernel wrote it back to `optlen`, or -errno. `optlen` goes in as `optval_len`.
 */
// @ts-ignore: decorator
@external("pidfd_host", "getsockopt")
export declare function getsockopt(
  /** Input: the socket. */
  fd: i32,
  /** Input: SOL_SOCKET, in the architecture's numbering. */
  level: i32,
  /** Input: SO_PEERCRED / SO_PEERPIDFD, in the architecture's numbering. */
  optname: i32,
  /** Output: the option's value (struct ucred, or an int: a new O_CLOEXEC pidfd). */
  optval: usize,
  /** Input: bytes at `optval`. */
  optval_len: u32
): i32;

/** `setns(fd, nstype)` (a pidfd as fd: Linux 5.8): 0 or -errno. Affects the calling thread. */
// @ts-ignore: decorator
@external("pidfd_host", "setns")
export declare function setns(
  /** Input: a pidfd or a namespace fd. */
  fd: i32,
  /** Input: CLONE_NEW* flags. */
  nstype: i32
): i32;

/** `close(fd)`: 0 or -errno. */
// @ts-ignore: decorator
@external("pidfd_host", "close")
export declare function close(
  /** Input: the fd. */
  fd: i32
): i32;

/**
 * Reads `/proc/self/fdinfo/<fd>` (open + read + close, O_CLOEXEC): the number of bytes read, or
 * -errno. Reads at most `len` bytes; the text of a pidfd is well under 1 KiB.
 */
// @ts-ignore: decorator
@external("pidfd_host", "read_fdinfo")
export declare function read_fdinfo(
  /** Input: the fd whose fdinfo to read. */
  fd: i32,
  /** Output: the text. */
  buf: usize,
  /** Input: bytes at `buf`. */
  len: u32
): i32;

/**
 * `process_mrelease(pidfd, flags)` (Linux 5.15): 0 or -errno. Reaps the address space of a
 * process that is being killed (its SIGKILL delivered), before its exit would (mm/oom_kill.c).
 */
// @ts-ignore: decorator
@external("pidfd_host", "process_mrelease")
export declare function process_mrelease(
  /** Input: the pidfd. */
  pidfd: i32,
  /** Input: reserved, 0. */
  flags: u32
): i32;
