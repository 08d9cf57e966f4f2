// The operations: one per public PidFd method, with their fallbacks and the support cache.
// Every function returns >= 0 or -errno; -EOPNOTSUPP means "this kernel has no way to do it".

import * as sys from "./host";
import { arch, is32Bit, oCloexec, oExcl, oNonblock, solSocket, soPeerCred, soPeerPidfd } from "./arch";
import {
  EAGAIN, EBADF, EINVAL, ENODATA, ENOPROTOOPT, ENOSYS, ENOTTY, EOPNOTSUPP, EOVERFLOW, EREMOTE, ESRCH, ESTALE,
  isUnsupportedErrno,
} from "./errno";
import { namespaceCloneFlag, NS_CGROUP, NS_UTS, pidfdGetInfoRequest, pidfdGetNamespaceRequest } from "./ioctl";
import {
  PidfdInfo, PIDFD_INFO_COREDUMP, PIDFD_INFO_COREDUMP_SIGNAL, PIDFD_INFO_EXIT, PIDFD_INFO_PID,
  PIDFD_INFO_SIZE, PIDFD_INFO_SIZE_VER0, PIDFD_INFO_SUPPORTED_MASK,
} from "./pidfd_info";
import { result } from "./result";
import { clearSiPid, encodeQueueSiginfo, SIGINFO_SIZE, siCode, siPid, siStatus, waitStatusFromChildCode } from "./siginfo";
import { PID_FS_MAGIC, STAT_BUF_SIZE, STATFS_BUF_SIZE, statfsType, statIno } from "./stat";
import {
  AT_EMPTY_PATH, FILE_HANDLE_HEADER, FILEID_KERNFS, FileHandle, MAX_HANDLE_SZ, PIDFS_HANDLE_BYTES, pidfsHandleInode,
} from "./file_handle";
import { FDINFO_NOT_FOUND, fdinfoPid } from "./fdinfo";
import {
  FEATURE_FILE_HANDLE, FEATURE_GET_INFO, FEATURE_NS_IOCTL, FEATURE_PEER_PIDFD, FEATURE_PIDFD_GETFD, FEATURE_PIDFD_OPEN,
  FEATURE_PIDFS, isUnknown, isUnsupported, setSupport, SUPPORT_NO, SUPPORT_YES,
} from "./support";
import { P_PIDFD, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WSTOPPED } from "./wait_status";

/** struct ucred (include/linux/socket.h): pid, uid, gid, 4 bytes each. */
const UCRED_SIZE: i32 = 12;

// Scratch buffers for the kernel's structs: static, never allocated at run time.
const INFO: usize = memory.data(<i32>PIDFD_INFO_SIZE, 8);
const SIGINFO: usize = memory.data(<i32>SIGINFO_SIZE, 8);
const STAT: usize = memory.data(<i32>STAT_BUF_SIZE, 8);
const STATFS: usize = memory.data(<i32>STATFS_BUF_SIZE, 8);
const HANDLE: usize = memory.data(<i32>(FILE_HANDLE_HEADER + MAX_HANDLE_SZ), 8);
const MOUNT_ID: usize = memory.data(4, 4);
const UCRED: usize = memory.data(UCRED_SIZE, 4);
const PEER_FD: usize = memory.data(4, 4);
const EMPTY_PATH: usize = memory.data(8, 8); // "" (the zeroed first byte)
/** The scratch area (docs/abi.md): the decoders' input, and where fdinfo text is read. */
export const SCRATCH_SIZE: u32 = 4096;
export const SCRATCH: usize = memory.data(<i32>SCRATCH_SIZE, 8);

// PIDFD_GET_INFO is called with the newest struct size; Linux 6.13.0 accepted only the exact
// VER0 size, so an ENOTTY on the first call retries once with 64 bytes and keeps that.
let infoSize: u32 = PIDFD_INFO_SIZE;

// ---- pidfd_open ----------------------------------------------------------------------------

export const OPEN_THREAD: u32 = 1;
export const OPEN_NONBLOCK: u32 = 2;

/** pidfd_open with the arch's PIDFD_THREAD / PIDFD_NONBLOCK for `options` (OPEN_* bits). */
export function open(pid: i32, options: u32): i32 {
  if (options & ~(OPEN_THREAD | OPEN_NONBLOCK)) return -EINVAL;
  if (isUnsupported(FEATURE_PIDFD_OPEN)) return -ENOSYS;
  let flags: u32 = 0;
  if (options & OPEN_THREAD) flags |= oExcl(arch());
  if (options & OPEN_NONBLOCK) flags |= oNonblock(arch());
  const fd = sys.pidfd_open(pid, flags);
  if (fd >= 0) {
    setSupport(FEATURE_PIDFD_OPEN, SUPPORT_YES);
    return fd;
  }
  if (fd == -ENOSYS) {
    setSupport(FEATURE_PIDFD_OPEN, SUPPORT_NO);
    return fd;
  }
  if (fd != -EINVAL || pid <= 0) return fd;
  // EINVAL for a positive pid: either the pid is exiting (the kernel found a struct pid without
  // tasks: report ESRCH, as systemd does) or a flag is newer than this kernel.
  if (flags == 0) return -ESRCH;
  const plain = sys.pidfd_open(pid, 0);
  if (plain >= 0) {
    sys.close(plain);
    return -EOPNOTSUPP;
  }
  return plain == -EINVAL ? -ESRCH : plain;
}

// ---- what kind of fd is this ----------------------------------------------------------------

/**
 * 1 if `fd` is a pidfd, 0 if it is some other file, or -errno (EBADF for a closed fd). Learns
 * along the way whether pidfds live on pidfs.
 */
export function isPidfd(fd: i32): i32 {
  let rc = sys.fstatfs(fd, STATFS, STATFS_BUF_SIZE);
  if (rc < 0) return rc;
  if (statfsType(STATFS) == PID_FS_MAGIC) {
    setSupport(FEATURE_PIDFS, SUPPORT_YES);
    return 1;
  }
  if (!isUnknown(FEATURE_PIDFS) && !isUnsupported(FEATURE_PIDFS)) return 0;
  // No pidfs seen yet: an anon-inode pidfd (before Linux 6.9) is known by its fdinfo.
  rc = readFdinfo(fd);
  if (rc < 0) return rc;
  if (fdinfoPid(SCRATCH, <u32>rc) == FDINFO_NOT_FOUND) return 0;
  setSupport(FEATURE_PIDFS, SUPPORT_NO);
  return 1;
}

/** /proc/self/fdinfo/<fd> into the scratch area: the length, never more than the buffer (whatever the host says), or -errno. */
function readFdinfo(fd: i32): i32 {
  const len = sys.read_fdinfo(fd, SCRATCH, SCRATCH_SIZE);
  return len > <i32>SCRATCH_SIZE ? <i32>SCRATCH_SIZE : len;
}

/**
 * For a call that failed with an "unsupported" errno while its feature was still unknown: was
 * it the kernel (mark the feature unsupported, -EOPNOTSUPP) or an fd that is no pidfd (-EBADF)?
 */
function unsupportedOrNotPidfd(fd: i32, feature: i32): i32 {
  const kind = isPidfd(fd);
  if (kind < 0) return kind;
  if (kind == 0) return -EBADF;
  setSupport(feature, SUPPORT_NO);
  return -EOPNOTSUPP;
}

/**
 * `rc` for a pidfd, -EBADF for any other file: what a pidfd-only call answers once its feature's
 * support is known, so that a non-pidfd gets the same -EBADF as while it was unknown
 * (docs/abi.md, "One answer per input").
 */
function notPidfdOr(fd: i32, rc: i32): i32 {
  const kind = isPidfd(fd);
  if (kind < 0) return kind;
  return kind == 0 ? -EBADF : rc;
}

// ---- PIDFD_GET_INFO -------------------------------------------------------------------------

/**
 * Calls PIDFD_GET_INFO into INFO asking for `mask`; the returned mask (low 32 bits) or -errno:
 * -EBADF for a file that is no pidfd, -EOPNOTSUPP for a pidfd on a kernel without GET_INFO.
 * Inlined, as getPid() is into its export: V8 (Node 20's 11.3) does not inline calls between Wasm
 * functions, and the export calling the ioctl itself made getPpid(), getCreds(), getCgroupId() and
 * getInfo() 1 to 6 % cheaper per call (measured interleaved against the build with the calls).
 */
// @ts-ignore: decorator
@inline function callGetInfo(fd: i32, mask: u32): i32 {
  if (isUnsupported(FEATURE_GET_INFO)) return notPidfdOr(fd, -EOPNOTSUPP);
  memory.fill(INFO, 0, PIDFD_INFO_SIZE);
  store<u64>(INFO, <u64>mask);
  let rc = sys.ioctl(fd, pidfdGetInfoRequest(arch(), infoSize), INFO, infoSize);
  if (rc == -ENOTTY && isUnknown(FEATURE_GET_INFO) && infoSize != PIDFD_INFO_SIZE_VER0) {
    store<u64>(INFO, <u64>mask);
    rc = sys.ioctl(fd, pidfdGetInfoRequest(arch(), PIDFD_INFO_SIZE_VER0), INFO, PIDFD_INFO_SIZE_VER0);
    if (rc >= 0) infoSize = PIDFD_INFO_SIZE_VER0;
  }
  if (rc < 0) {
    if (!isUnsupportedErrno(-rc)) return rc;
    return isUnknown(FEATURE_GET_INFO) ? unsupportedOrNotPidfd(fd, FEATURE_GET_INFO) : notPidfdOr(fd, rc);
  }
  setSupport(FEATURE_GET_INFO, SUPPORT_YES);
  return <i32>(<u32>load<u64>(INFO) & 0x7fffffff);
}

/**
 * PIDFD_GET_INFO asking for `mask`; decodes every field the kernel returned into the result
 * area and returns the returned mask.
 */
export function getInfo(fd: i32, mask: u32): i32 {
  const got = callGetInfo(fd, mask);
  if (got < 0) return got;
  decodeInfo(INFO, <u32>got);
  return got;
}

/** Decodes a `struct pidfd_info` at `info` (mask `got`) into the result area. */
export function decodeInfo(info: usize, got: u32): void {
  const src = changetype<PidfdInfo>(info);
  const out = result();
  out.mask = got;
  out.cgroupid = src.cgroupid;
  out.pid = <i32>src.pid;
  out.tgid = <i32>src.tgid;
  out.ppid = <i32>src.ppid;
  out.ruid = src.ruid;
  out.rgid = src.rgid;
  out.euid = src.euid;
  out.egid = src.egid;
  out.suid = src.suid;
  out.sgid = src.sgid;
  out.fsuid = src.fsuid;
  out.fsgid = src.fsgid;
  out.exit_status = got & PIDFD_INFO_EXIT ? src.exit_code : 0;
  out.coredump_mask = got & PIDFD_INFO_COREDUMP ? src.coredump_mask : 0;
  out.coredump_signal = got & PIDFD_INFO_COREDUMP_SIGNAL ? src.coredump_signal : 0;
  out.supported_mask = got & PIDFD_INFO_SUPPORTED_MASK ? <u32>src.supported_mask : 0;
}

/** A pid of 0 means "outside the caller's pid namespace": EREMOTE, as systemd reports it. */
function visiblePid(pid: i32): i32 {
  return pid == 0 ? -EREMOTE : pidOrOverflow(pid);
}

/** A pid from the kernel as a result: pids fit in 31 bits, anything else is -EOVERFLOW, not a fake errno. */
function pidOrOverflow(pid: i32): i32 {
  return pid < 0 ? -EOVERFLOW : pid;
}

/** The pid: PIDFD_GET_INFO, else the `Pid:` line of /proc/self/fdinfo/<fd>. Inlined: see callGetInfo(). */
// @ts-ignore: decorator
@inline export function getPid(fd: i32): i32 {
  if (!isUnsupported(FEATURE_GET_INFO)) {
    const got = callGetInfo(fd, PIDFD_INFO_PID);
    if (got >= 0) {
      return got & PIDFD_INFO_PID ? visiblePid(<i32>changetype<PidfdInfo>(INFO).pid) : -ESRCH;
    }
    if (got != -EOPNOTSUPP) return got;
  }
  // No GET_INFO: the fdinfo text, which only a pidfd's has a `Pid:` line in (else -EBADF).
  const len = readFdinfo(fd);
  if (len < 0) return len;
  const pid = fdinfoPid(SCRATCH, <u32>len);
  if (pid == FDINFO_NOT_FOUND) return -EBADF;
  if (pid < 0) return -ESRCH;
  // Before Linux 5.10 fdinfo kept showing the pid after the reap: probe, after reading it, that
  // the process still exists (a zombie does; its pid cannot have been reused yet).
  if (sys.pidfd_send_signal(fd, 0, 0, 0, 0) == -ESRCH) return -ESRCH;
  return visiblePid(<i32>pid);
}

/** The parent's pid (0 when the parent is outside our pid namespace): PIDFD_GET_INFO only. */
export function getPpid(fd: i32): i32 {
  const got = callGetInfo(fd, PIDFD_INFO_PID);
  if (got < 0) return got;
  return got & PIDFD_INFO_PID ? pidOrOverflow(<i32>changetype<PidfdInfo>(INFO).ppid) : -ESRCH;
}

// ---- the unique id --------------------------------------------------------------------------

/**
 * The 64-bit id pidfs gives each process (never reused while the system runs), written to
 * result.id: the pidfs file handle, else the pidfs inode number from fstat. Needs pidfs.
 */
export function getId(fd: i32): i32 {
  let checked = false; // whether isPidfd(fd) has answered 1 during this call
  if (isUnknown(FEATURE_PIDFS)) {
    const kind = isPidfd(fd);
    if (kind < 0) return kind;
    if (kind == 0) return -EBADF;
    checked = true;
  }
  if (isUnsupported(FEATURE_PIDFS)) return checked ? -EOPNOTSUPP : notPidfdOr(fd, -EOPNOTSUPP);
  if (!isUnsupported(FEATURE_FILE_HANDLE)) {
    const rc = handleId(fd, checked);
    if (rc >= 0 || !isUnsupported(FEATURE_FILE_HANDLE)) return rc;
    checked = true; // handleId marks file handles unsupported only after isPidfd(fd) said 1
  }
  // Without file handles the id is st_ino, which any file has: ask what this one is first.
  if (!checked) {
    const kind = isPidfd(fd);
    if (kind < 0) return kind;
    if (kind == 0) return -EBADF;
  }
  if (is32Bit(arch())) return -EOPNOTSUPP; // st_ino would be truncated to 32 bits
  const rc = sys.fstat(fd, STAT, STAT_BUF_SIZE);
  if (rc < 0) return rc;
  result().id = statIno(STAT);
  return 0;
}

/**
 * name_to_handle_at(fd, "", AT_EMPTY_PATH), retried once with the size the kernel asks for. An
 * "unsupported" errno is the kernel's only for a pidfd (`isPidfdKnown`, else asked): another
 * file is -EBADF.
 */
function handleId(fd: i32, isPidfdKnown: bool): i32 {
  const handle = changetype<FileHandle>(HANDLE);
  handle.handle_bytes = PIDFS_HANDLE_BYTES;
  let rc = sys.name_to_handle_at(fd, EMPTY_PATH, 1, HANDLE, FILE_HANDLE_HEADER + MAX_HANDLE_SZ, MOUNT_ID, AT_EMPTY_PATH);
  if (rc == -EOVERFLOW && handle.handle_bytes <= MAX_HANDLE_SZ) {
    rc = sys.name_to_handle_at(fd, EMPTY_PATH, 1, HANDLE, FILE_HANDLE_HEADER + MAX_HANDLE_SZ, MOUNT_ID, AT_EMPTY_PATH);
  }
  if (rc < 0) {
    if (!isUnsupportedErrno(-rc)) return rc;
    if (!isPidfdKnown) {
      const kind = isPidfd(fd);
      if (kind < 0) return kind;
      if (kind == 0) return -EBADF;
    }
    if (isUnknown(FEATURE_FILE_HANDLE)) setSupport(FEATURE_FILE_HANDLE, SUPPORT_NO);
    return rc;
  }
  setSupport(FEATURE_FILE_HANDLE, SUPPORT_YES);
  if (handle.handle_bytes != PIDFS_HANDLE_BYTES) {
    // Not the 8-byte inode handle this core knows: use the inode from fstat instead.
    setSupport(FEATURE_FILE_HANDLE, SUPPORT_NO);
    return -EOPNOTSUPP;
  }
  result().id = pidfsHandleInode(HANDLE);
  return 0;
}

/**
 * open_by_handle_at(mount_fd, {8, FILEID_KERNFS, id}, O_CLOEXEC) for the 64-bit id at the scratch
 * area's start: a new pidfd, -ESRCH when no process has that id (any more), -EOPNOTSUPP when
 * pidfs has no file handles (before Linux 6.13). `mount_fd` must be a pidfd (any: pidfs is one
 * filesystem); it is also what support is learned from.
 */
export function openHandle(mountFd: i32): i32 {
  const id = load<u64>(SCRATCH);
  if (isUnknown(FEATURE_FILE_HANDLE)) {
    const saved = result().id;
    const rc = getId(mountFd);
    result().id = saved;
    if (rc < 0 && !isUnsupported(FEATURE_FILE_HANDLE) && !isUnsupported(FEATURE_PIDFS)) return rc;
  }
  if (isUnsupported(FEATURE_FILE_HANDLE) || isUnsupported(FEATURE_PIDFS)) return notPidfdOr(mountFd, -EOPNOTSUPP);
  const handle = changetype<FileHandle>(HANDLE);
  handle.handle_bytes = PIDFS_HANDLE_BYTES;
  handle.handle_type = FILEID_KERNFS;
  store<u64>(HANDLE, id, FILE_HANDLE_HEADER);
  const fd = sys.open_by_handle_at(mountFd, HANDLE, FILE_HANDLE_HEADER + PIDFS_HANDLE_BYTES, <i32>oCloexec(arch()));
  // pidfs answers a handle whose process is reaped, or never existed in our pid namespace, ESTALE.
  return fd == -ESTALE ? -ESRCH : fd;
}

// ---- socket peers ---------------------------------------------------------------------------

/**
 * getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD): a new pidfd for the process that connected the unix
 * socket `fd` (or created the socket pair), or -errno: -EOPNOTSUPP before Linux 6.5 (cached),
 * -ESRCH for a peer reaped before Linux 6.16 (which gives a pidfd for it instead), -ENODATA when
 * the socket has no peer.
 */
export function peerPidfd(fd: i32): i32 {
  if (isUnsupported(FEATURE_PEER_PIDFD)) return -EOPNOTSUPP;
  store<i32>(PEER_FD, -1);
  const a = arch();
  const rc = sys.getsockopt(fd, solSocket(a), soPeerPidfd(a), PEER_FD, 4);
  if (rc == -ENOPROTOOPT) {
    setSupport(FEATURE_PEER_PIDFD, SUPPORT_NO);
    return -EOPNOTSUPP;
  }
  // pidfd_prepare() refuses a struct pid without a task (reaped) with EINVAL.
  if (rc == -EINVAL) return -ESRCH;
  if (rc < 0) return rc;
  setSupport(FEATURE_PEER_PIDFD, SUPPORT_YES);
  const pidfd = load<i32>(PEER_FD);
  return rc < 4 || pidfd < 0 ? -EINVAL : pidfd;
}

/**
 * getsockopt(fd, SOL_SOCKET, SO_PEERCRED): the peer's pid as it was when it connected, uid and
 * gid to the result area's ruid and rgid; -ENODATA when the socket has no peer. The pid may have
 * been reused since: only SO_PEERPIDFD names the process itself.
 */
export function peerPid(fd: i32): i32 {
  memory.fill(UCRED, 0, UCRED_SIZE);
  const a = arch();
  const rc = sys.getsockopt(fd, solSocket(a), soPeerCred(a), UCRED, UCRED_SIZE);
  if (rc < 0) return rc;
  if (rc < UCRED_SIZE) return -EINVAL;
  const pid = load<i32>(UCRED);
  if (pid <= 0) return -ENODATA;
  result().ruid = load<u32>(UCRED, 4);
  result().rgid = load<u32>(UCRED, 8);
  return pid;
}

// ---- namespaces -----------------------------------------------------------------------------

/** PIDFD_GET_<type>_NAMESPACE: a new namespace fd (O_CLOEXEC), or -errno. */
export function getNamespace(fd: i32, type: i32): i32 {
  const request = pidfdGetNamespaceRequest(arch(), type);
  if (request == 0) return -EINVAL;
  if (isUnsupported(FEATURE_NS_IOCTL)) return notPidfdOr(fd, -EOPNOTSUPP);
  const rc = sys.ioctl(fd, request, 0, 0);
  if (rc >= 0) {
    setSupport(FEATURE_NS_IOCTL, SUPPORT_YES);
    return rc;
  }
  // EOPNOTSUPP from a kernel with the ioctls means this namespace type is not configured.
  if (rc != -ENOTTY && rc != -ENOSYS) return rc;
  return isUnknown(FEATURE_NS_IOCTL) ? unsupportedOrNotPidfd(fd, FEATURE_NS_IOCTL) : notPidfdOr(fd, rc);
}

/** setns(fd, flags) for the namespace types whose bits (1 << type) are set in `types`. */
export function setNamespace(fd: i32, types: u32): i32 {
  const known: u32 = (<u32>1 << (NS_UTS + 1)) - (<u32>1 << NS_CGROUP); // bits 1..10
  if (types == 0 || types & ~known) return -EINVAL;
  let flags = 0;
  for (let type = NS_CGROUP; type <= NS_UTS; type++) {
    if (types & (1 << type)) flags |= namespaceCloneFlag(type);
  }
  return sys.setns(fd, flags);
}

// ---- signals, fds, waiting ------------------------------------------------------------------

export const SIGNAL_SCOPE_DEFAULT: i32 = 0;
export const SIGNAL_SCOPE_THREAD: i32 = 1;        // PIDFD_SIGNAL_THREAD
export const SIGNAL_SCOPE_PROCESS: i32 = 2;       // PIDFD_SIGNAL_THREAD_GROUP
export const SIGNAL_SCOPE_PROCESS_GROUP: i32 = 3; // PIDFD_SIGNAL_PROCESS_GROUP

/** pidfd_send_signal with a scope (Linux 6.9 for anything but the default). */
export function sendSignal(fd: i32, sig: i32, scope: i32): i32 {
  return signal(fd, sig, scope, 0, 0);
}

/**
 * pidfd_send_signal with the siginfo sigqueue(3) sends: SI_QUEUE, `value` as si_value.sival_int,
 * `pid` and `uid` as the sender (the kernel takes them as given: they are the caller's own).
 */
export function queueSignal(fd: i32, sig: i32, scope: i32, value: i32, pid: i32, uid: u32): i32 {
  if (sig < 0 || sig > 64) return -EINVAL;
  encodeQueueSiginfo(arch(), SIGINFO, sig, pid, uid, value);
  return signal(fd, sig, scope, SIGINFO, SIGINFO_SIZE);
}

function signal(fd: i32, sig: i32, scope: i32, info: usize, infoLen: u32): i32 {
  if (sig < 0 || sig > 64 || scope < 0 || scope > SIGNAL_SCOPE_PROCESS_GROUP) return -EINVAL;
  const flags: u32 = scope == SIGNAL_SCOPE_DEFAULT ? 0 : <u32>1 << <u32>(scope - 1);
  const rc = sys.pidfd_send_signal(fd, sig, info, infoLen, flags);
  if (rc != -EINVAL || flags == 0) return rc;
  // EINVAL with a scope: a kernel without scopes says so; tell by probing with signal 0, unscoped.
  return sys.pidfd_send_signal(fd, 0, 0, 0, 0) == 0 ? -EOPNOTSUPP : rc;
}

/**
 * process_mrelease(fd, 0) (Linux 5.15): frees the memory of a process whose SIGKILL has been
 * delivered. 0 also when there is nothing left to free (its memory is gone: the kernel's ESRCH
 * from find_lock_task_mm while the pidfd's process still exists, a zombie); ESRCH once it has
 * been reaped; EINVAL when the process is not exiting (no SIGKILL yet, a core dump under way,
 * its memory shared with a process that lives on); ENOSYS before 5.15.
 */
export function releaseMemory(fd: i32): i32 {
  const rc = sys.process_mrelease(fd, 0);
  if (rc != -ESRCH) return rc;
  // ESRCH: no task left with an mm. Still signalable (a zombie): its memory is already freed.
  return sys.pidfd_send_signal(fd, 0, 0, 0, 0) == 0 ? 0 : -ESRCH;
}

/** pidfd_getfd(fd, target, 0): a new O_CLOEXEC fd, or -errno (-ENOSYS before Linux 5.6). */
export function getRemoteFd(fd: i32, target: i32): i32 {
  if (isUnsupported(FEATURE_PIDFD_GETFD)) return -ENOSYS;
  const rc = sys.pidfd_getfd(fd, target, 0);
  if (rc == -ENOSYS) setSupport(FEATURE_PIDFD_GETFD, SUPPORT_NO);
  else if (rc >= 0) setSupport(FEATURE_PIDFD_GETFD, SUPPORT_YES);
  return rc;
}

const WAIT_OPTIONS: i32 = WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT;

/**
 * waitid(P_PIDFD, fd, &si, options): the wait(2) status of the state change, -EAGAIN when
 * WNOHANG found none (or the pidfd is non-blocking and the process still runs), or -errno.
 */
export function wait(fd: i32, options: i32): i32 {
  if (options & ~WAIT_OPTIONS || (options & (WSTOPPED | WEXITED | WCONTINUED)) == 0) return -EINVAL;
  // waitid(2): "zero out the si_pid field before the call" tells WNOHANG's "nothing yet" apart;
  // the kernel writes every field read here whenever it reports a change.
  clearSiPid(arch(), SIGINFO);
  const rc = sys.waitid(P_PIDFD, fd, SIGINFO, SIGINFO_SIZE, options);
  if (rc == -EINVAL) return -EOPNOTSUPP; // valid options: this kernel has no P_PIDFD (before 5.4)
  if (rc < 0) return rc;
  return statusFromSiginfo(SIGINFO);
}

/** The wait(2) status in a waitid siginfo_t; -EAGAIN when it holds no state change. */
export function statusFromSiginfo(si: usize): i32 {
  const a = arch();
  if (siPid(a, si) == 0) return -EAGAIN;
  const status = waitStatusFromChildCode(a, siCode(a, si), siStatus(a, si));
  return status < 0 ? -EINVAL : status;
}
