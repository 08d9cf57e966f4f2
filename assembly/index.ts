// The core's exports: the ABI surface, version 2 (docs/abi.md). Every export returns >= 0 or
// -errno unless it says otherwise; results that do not fit in one number go to the result area
// (result_ptr()). Input bytes for the decoders go to the scratch area (scratch_ptr()).

import { arch, initialized, oCloexec, setArch } from "./arch";
import { decodeEpollEvents, encodeEpollEvent, epollEventSize } from "./epoll";
import { EINVAL, ENODATA, ERANGE } from "./errno";
import { FDINFO_NOT_FOUND, fdinfoNsPid, fdinfoPid, fdinfoUnsigned } from "./fdinfo";
import { ioc as iocFor, iocSize, pidfdGetInfoRequest, pidfdGetNamespaceRequest, namespaceCloneFlag } from "./ioctl";
import * as ops from "./ops";
import { PIDFD_INFO_SIZE, PIDFD_INFO_SIZE_VER0 } from "./pidfd_info";
import { RESULT, RESULT_SIZE, result } from "./result";
import { SIGINFO_SIZE, waitStatusFromChildCode } from "./siginfo";
import { supportOf } from "./support";
import { decodeStatus } from "./wait_status";

/** The ABI version of this core. A host checks it before anything else. */
export const ABI_VERSION: i32 = 2;

/** The ABI version (2). */
export function abi_version(): i32 {
  return ABI_VERSION;
}

/** Selects the host's architecture (ARCH_* codes, docs/abi.md); 0, or -EINVAL for an unknown code. */
export function init(arch: i32): i32 {
  return setArch(arch) ? 0 : -EINVAL;
}

/** Where the result area (96 bytes, docs/abi.md) sits in memory. */
export function result_ptr(): usize {
  return RESULT;
}

/** The result area's size. */
export function result_size(): u32 {
  return RESULT_SIZE;
}

/** Where the scratch area sits: the input of the decoders below, `scratch_size()` bytes. */
export function scratch_ptr(): usize {
  return ops.SCRATCH;
}

/** The scratch area's size (4096). */
export function scratch_size(): u32 {
  return ops.SCRATCH_SIZE;
}

// ---- operations (each makes syscalls through the imports) ----------------------------------

/** `pidfd_open(pid, flags)`: options bit 0 = PIDFD_THREAD (6.9), bit 1 = PIDFD_NONBLOCK (5.10). */
export function open(pid: i32, options: u32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.open(pid, options);
}

/** `pidfd_send_signal(fd, sig, NULL, flags)`; scope 0 default, 1 thread, 2 process, 3 process group. */
export function send_signal(fd: i32, sig: i32, scope: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.sendSignal(fd, sig, scope);
}

/**
 * `pidfd_send_signal(fd, sig, &info, flags)` with the siginfo of sigqueue(3): SI_QUEUE, `value`
 * as si_value, `pid` / `uid` as the sender (the caller's own getpid() / getuid()); scope as send_signal.
 */
export function queue_signal(fd: i32, sig: i32, scope: i32, value: i32, pid: i32, uid: u32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.queueSignal(fd, sig, scope, value, pid, uid);
}

/** `process_mrelease(fd, 0)` (Linux 5.15): frees a killed process's memory now; 0 when it is already freed. */
export function release_memory(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.releaseMemory(fd);
}

/** `ioctl(fd, PIDFD_GET_INFO)` asking for `mask`: the returned mask; fields in the result area. */
export function get_info(fd: i32, mask: u32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.getInfo(fd, mask);
}

/** The pid (PIDFD_GET_INFO, else fdinfo): ESRCH once reaped, EREMOTE outside our pid namespace. */
export function get_pid(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.getPid(fd);
}

/** The parent's pid (PIDFD_GET_INFO, Linux 6.13). */
export function get_ppid(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.getPpid(fd);
}

/** The unique 64-bit process id (pidfs, Linux 6.9), written to the result area's `id`. */
export function get_id(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.getId(fd);
}

/**
 * `open_by_handle_at(mount_fd, pidfs handle, O_CLOEXEC)` (Linux 6.13) for the u64 id at the
 * scratch area's start: a new pidfd; ESRCH when no process has that id; EOPNOTSUPP before 6.13.
 * `mount_fd`: any pidfd.
 */
export function open_handle(mount_fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.openHandle(mount_fd);
}

/** `getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD)` (Linux 6.5): a new pidfd for the socket's peer. */
export function peer_pidfd(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.peerPidfd(fd);
}

/** `getsockopt(fd, SOL_SOCKET, SO_PEERCRED)`: the peer's pid at connect time; uid, gid to the result area. */
export function peer_pid(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.peerPid(fd);
}

/** `ioctl(fd, PIDFD_GET_<type>_NAMESPACE, 0)` (Linux 6.11): a new namespace fd. */
export function get_namespace(fd: i32, type: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.getNamespace(fd, type);
}

/** `setns(fd, flags)` for the types whose bits (1 << type) are set in `types`. */
export function set_namespace(fd: i32, types: u32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.setNamespace(fd, types);
}

/** `pidfd_getfd(fd, target, 0)` (Linux 5.6): a new fd. */
export function get_remote_fd(fd: i32, target: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.getRemoteFd(fd, target);
}

/** `waitid(P_PIDFD, fd, &si, options)`: the wait(2) status, or -EAGAIN when nothing is ready. */
export function wait(fd: i32, options: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.wait(fd, options);
}

/** 1 if `fd` is a pidfd, 0 if another kind of file, or -errno. */
export function is_pidfd(fd: i32): i32 {
  if (!initialized()) return -EINVAL;
  return ops.isPidfd(fd);
}

/** O_CLOEXEC (= EPOLL_CLOEXEC) on the architecture init() chose, for fds the host creates itself. */
export function o_cloexec(): u32 {
  return initialized() ? oCloexec(arch()) : 0;
}

/** The size of a `struct epoll_event` on the architecture init() chose (12 on x86, else 16). */
export function epoll_event_size(): u32 {
  return initialized() ? epollEventSize(arch()) : 0;
}

/** Writes one `struct epoll_event` {events, data: fd} at the scratch area's start; returns its size. */
export function encode_epoll_event(events: u32, fd: i32): u32 {
  return initialized() ? encodeEpollEvent(arch(), ops.SCRATCH, events, fd) : 0;
}

/**
 * Rewrites the `count` `struct epoll_event` that epoll_wait wrote at the scratch area's start
 * (each with an fd as its data word) as `count` (fd: i32, events: u32) pairs, 8 bytes each, in
 * place: `count`, or -ERANGE when they would not fit in the scratch area.
 */
export function decode_epoll_events(count: u32): i32 {
  if (!initialized()) return -EINVAL;
  if (count > ops.SCRATCH_SIZE / epollEventSize(arch())) return -ERANGE;
  decodeEpollEvents(arch(), ops.SCRATCH, count);
  return <i32>count;
}

/** A feature's cached support: 0 unknown, 1 yes, 2 no; -1 for an unknown feature (docs/abi.md). */
export function support(feature: i32): i32 {
  return supportOf(feature);
}

// ---- decoders and request codes (no syscalls) -----------------------------------------------

/** Packs what a wait(2) status means: bits 0-7 value, 8-10 kind, 11 core dumped (docs/abi.md). */
export function decode_status(status: i32): i32 {
  return initialized() ? decodeStatus(status) : 0;
}

/** The wait(2) status for a waitid si_code / si_status pair, or -EINVAL. */
export function status_from_child_code(code: i32, status: i32): i32 {
  if (!initialized()) return -EINVAL;
  const s = waitStatusFromChildCode(arch(), code, status);
  return s < 0 ? -EINVAL : s;
}

/** The wait(2) status in the siginfo_t at the scratch area's start (`len` bytes); -EAGAIN if empty. */
export function decode_siginfo(len: u32): i32 {
  if (!initialized()) return -EINVAL;
  if (len < SIGINFO_SIZE) return -ERANGE;
  return ops.statusFromSiginfo(ops.SCRATCH);
}

/** Decodes the struct pidfd_info at the scratch area's start (`len` bytes) into the result area. */
export function decode_pidfd_info(len: u32): i32 {
  if (len < PIDFD_INFO_SIZE_VER0) return -ERANGE;
  if (len < PIDFD_INFO_SIZE) memory.fill(ops.SCRATCH + len, 0, PIDFD_INFO_SIZE - len);
  const got = <u32>load<u64>(ops.SCRATCH) & 0x7fffffff;
  ops.decodeInfo(ops.SCRATCH, got);
  return <i32>got;
}

/**
 * Parses fdinfo text at the scratch area's start (`len` bytes) into the result area: `pid` (the
 * `Pid:` value: -1 for a reaped process, 0 outside our pid namespace), `nspid_depth` and
 * `nspid_inner`. 0, or -ENODATA when the text has no `Pid:` line (not a pidfd's).
 */
export function parse_fdinfo(len: u32): i32 {
  const size = len < ops.SCRATCH_SIZE ? len : ops.SCRATCH_SIZE;
  const pid = fdinfoPid(ops.SCRATCH, size);
  if (pid == FDINFO_NOT_FOUND) return -ENODATA;
  const out = result();
  out.pid = <i32>pid;
  out.nspid_depth = fdinfoNsPid(ops.SCRATCH, size, innermostNsPid);
  out.nspid_inner = out.nspid_depth > 0 ? unchecked(innermostNsPid[0]) : 0;
  return 0;
}

const innermostNsPid = new StaticArray<i32>(1);

/**
 * Parses the lines every fd's fdinfo starts with (fs/proc/fd.c), at the scratch area's start
 * (`len` bytes): returns the file status flags (`flags:`, octal, O_* bits) and writes the file
 * position (`pos:`) to the result area's `pos`; -ENODATA when either line is missing.
 */
export function parse_fdinfo_common(len: u32): i32 {
  const size = len < ops.SCRATCH_SIZE ? len : ops.SCRATCH_SIZE;
  const flags = fdinfoUnsigned(ops.SCRATCH, size, "flags:", 8);
  const pos = fdinfoUnsigned(ops.SCRATCH, size, "pos:", 10);
  if (flags < 0 || flags > i32.MAX_VALUE || pos < 0) return -ENODATA;
  result().pos = <u64>pos;
  return <i32>flags;
}

/** `_IOC(dir, type, nr, size)` for an architecture (dir: 0 none, 1 write, 2 read, 3 both). */
export function ioc(arch: i32, dir: u32, type: u32, nr: u32, size: u32): u32 {
  return iocFor(arch, dir, type, nr, size);
}

/**
 * `_IOC_SIZE(request)` in the layout of the architecture init() chose: the fewest bytes a host
 * accepts at the `ioctl` import's `arg` for this request (0: `len` is 0 and `arg` NULL), or -EINVAL
 * before init().
 */
export function ioctl_size(request: u32): i32 {
  return initialized() ? <i32>iocSize(arch(), request) : -EINVAL;
}

/** `PIDFD_GET_<type>_NAMESPACE` for an architecture; 0 for an unknown type. */
export function namespace_request(arch: i32, type: i32): u32 {
  return pidfdGetNamespaceRequest(arch, type);
}

/** `PIDFD_GET_INFO` for an architecture and struct size (0 = the size this core uses). */
export function get_info_request(arch: i32, size: u32): u32 {
  return pidfdGetInfoRequest(arch, size == 0 ? PIDFD_INFO_SIZE : size);
}

/** The setns(2) CLONE_NEW* flag of a namespace type; 0 for an unknown type. */
export function namespace_clone_flag(type: i32): i32 {
  return namespaceCloneFlag(type);
}

// ---- constants (docs/abi.md): immutable globals, so that a host takes them from the core ---------

export { WNOHANG, WSTOPPED, WEXITED, WCONTINUED, WNOWAIT, P_PIDFD } from "./wait_status";
export {
  PIDFD_INFO_PID, PIDFD_INFO_CREDS, PIDFD_INFO_CGROUPID, PIDFD_INFO_EXIT, PIDFD_INFO_COREDUMP,
  PIDFD_INFO_SUPPORTED_MASK, PIDFD_INFO_COREDUMP_SIGNAL,
  PIDFD_COREDUMPED, PIDFD_COREDUMP_SKIP, PIDFD_COREDUMP_USER, PIDFD_COREDUMP_ROOT,
} from "./pidfd_info";
export {
  NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_PID_FOR_CHILDREN, NS_TIME, NS_TIME_FOR_CHILDREN, NS_USER, NS_UTS,
} from "./ioctl";
export {
  OPEN_THREAD, OPEN_NONBLOCK, SIGNAL_SCOPE_DEFAULT, SIGNAL_SCOPE_THREAD, SIGNAL_SCOPE_PROCESS, SIGNAL_SCOPE_PROCESS_GROUP,
} from "./ops";
export { IOC_NONE, IOC_WRITE, IOC_READ } from "./ioctl";
export { SIGINFO_SIZE } from "./siginfo";
export { FILE_HANDLE_HEADER } from "./file_handle";
