// The "raw koffi" reference: the same syscalls called straight through koffi, no Wasm, no
// wrappers: what a Node user with an FFI and no library would write. The floor for any
// koffi-based library. Request codes come from the core (the bench computes none itself).
import { createRequire } from "node:module";
import { ARCH_CODES } from "../host/core.js";
import { kernelCore } from "../host/runtime.js";

type Koffi = typeof import("koffi");
type Fn = (...args: unknown[]) => number;

export const koffi = createRequire(import.meta.url)("koffi") as Koffi;

const libc = koffi.load("libc.so.6");
const arch = ARCH_CODES[process.arch]!;

export const raw = {
  getpid: libc.func("int getpid()") as Fn,
  pidfd_open: libc.func("int pidfd_open(int pid, unsigned int flags)") as Fn,
  pidfd_send_signal: libc.func("int pidfd_send_signal(int pidfd, int sig, void *info, unsigned int flags)") as Fn,
  pidfd_getfd: libc.func("int pidfd_getfd(int pidfd, int targetfd, unsigned int flags)") as Fn,
  ioctl: libc.func("int ioctl(int fd, unsigned long request, void *arg)") as Fn,
  fstat: libc.func("int fstat(int fd, void *statbuf)") as Fn,
  name_to_handle_at: libc.func("int name_to_handle_at(int dirfd, const char *path, void *handle, void *mount_id, int flags)") as Fn,
  waitid: libc.func("int waitid(int idtype, unsigned int id, void *infop, int options)") as Fn,
  close: libc.func("int close(int fd)") as Fn,
  posix_spawn: libc.func("int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, void *envp)") as Fn,
};

/** posix_spawn file actions with 0-2 on /dev/null, as C's reference (bench/c/ops.c) prepares them once. */
export const devNullStdio = new Uint8Array(256); // posix_spawn_file_actions_t: 80 bytes on glibc x86_64
(libc.func("int posix_spawn_file_actions_init(void *actions)") as Fn)(devNullStdio);
(libc.func("int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int flags, unsigned int mode)") as Fn)(
  devNullStdio, 0, "/dev/null", 2 /* O_RDWR */, 0);
const addDup2 = libc.func("int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)") as Fn;
addDup2(devNullStdio, 0, 1);
addDup2(devNullStdio, 0, 2);
/** libc's `environ`, read at each spawn (as a C program's posix_spawn(..., environ) reads it). */
const environ = koffi.load(null).symbol("environ") as unknown;
export const environPointer = (): unknown => koffi.decode(environ, "void *");

/** struct pidfd_info as the core passes it: 80 bytes. */
export const INFO_SIZE = 80;
export const PIDFD_GET_INFO = kernelCore().exports.get_info_request(arch, INFO_SIZE) >>> 0;
export const PIDFD_GET_PID_NAMESPACE = kernelCore().exports.namespace_request(arch, 5) >>> 0;
export const AT_EMPTY_PATH = 0x1000;
export const ESRCH = 3;
export const P_PIDFD = 3;
export const WNOHANG = 1;
export const WEXITED = 4;
export const WNOWAIT = 0x01000000;
