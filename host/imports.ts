// The `pidfd_host` import object: turns the core's pointer + length pairs into bounds-checked
// views of its memory and calls a Syscalls backend. Total: it never throws into Wasm.
import { AT_HANDLE_MNT_ID_UNIQUE, FILE_HANDLE_HEADER, SIGINFO_SIZE, STAT_SIZE, STATFS_SIZE } from "./constants.js";
import { EFAULT, EIO } from "./errno.js";
import type { Syscalls } from "./sys/syscalls.js";
import type { WasmMemory } from "./wasm_types.js";


/**
 * The functions the core imports from module `pidfd_host`, as raw Wasm sees them: the ABI's own
 * names (snake_case, as assembly/host.ts declares them) and pointer + length pairs into the core's
 * memory. A backend implements `Syscalls` instead: the same calls one layer down, with those
 * pairs already checked and turned into views, so no backend ever sees a raw pointer.
 */
export interface HostImports {
  pidfd_open(pid: number, flags: number): number;
  pidfd_send_signal(pidfd: number, sig: number, info: number, infoLen: number, flags: number): number;
  pidfd_getfd(pidfd: number, targetfd: number, flags: number): number;
  waitid(idtype: number, id: number, infop: number, infolen: number, options: number): number;
  ioctl(fd: number, request: number, arg: number, len: number): number;
  fstat(fd: number, buf: number, len: number): number;
  fstatfs(fd: number, buf: number, len: number): number;
  name_to_handle_at(dirfd: number, path: number, pathLen: number, handle: number, handleLen: number, mountId: number, flags: number): number;
  open_by_handle_at(mountFd: number, handle: number, handleLen: number, flags: number): number;
  getsockopt(fd: number, level: number, optname: number, optval: number, optvalLen: number): number;
  setns(fd: number, nstype: number): number;
  close(fd: number): number;
  read_fdinfo(fd: number, buf: number, len: number): number;
  process_mrelease(pidfd: number, flags: number): number;
}

/** The import names, in the order assembly/host.ts declares them. */
export const HOST_IMPORT_NAMES: readonly (keyof HostImports)[] = [
  "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "waitid", "ioctl", "fstat", "fstatfs",
  "name_to_handle_at", "open_by_handle_at", "getsockopt", "setns", "close", "read_fdinfo", "process_mrelease",
];


/**
 * The last view one import handed out: the core passes the same few static buffers again and
 * again, so a pointer + length already checked against the same memory buffer gets the same
 * view back, with no new check and no allocation. A grown memory has a new buffer: no match.
 */
interface ViewCache {
  buffer: ArrayBuffer | undefined;
  ptr: number;
  len: number;
  view: Uint8Array | undefined;
}

function viewCache(): ViewCache {
  return { buffer: undefined, ptr: 0, len: 0, view: undefined };
}

/** `rc` if the backend returned an integer, else -EIO: a backend's answer reaches Wasm as an i32. */
function checked(rc: number): number {
  return (rc | 0) === rc ? rc : -EIO;
}

/** struct file_handle's handle_bytes (its first u32, little-endian as Wasm memory is). */
function handleBytes(handle: Uint8Array): number {
  return (handle[0]! | (handle[1]! << 8) | (handle[2]! << 16) | (handle[3]! << 24)) >>> 0;
}

/**
 * Builds the import object for a core whose memory `memory()` returns once it is instantiated.
 * Every pointer + length is checked against the memory as it is at the call (it may have
 * grown); a range outside it, or shorter than docs/abi.md's minimum lengths, gives -EFAULT and
 * the backend is not called. `ioctlSize` is the core's `ioctl_size` export (_IOC_SIZE in the
 * layout of its init() architecture): with it, an ioctl whose `len` is below its request's size
 * is -EFAULT too (instantiateCore passes it). A backend that throws gives -EIO: nothing unwinds
 * through Wasm. No closure and no allocation per call (see ViewCache).
 */
export function createHostImports(memory: () => WasmMemory, sys: Syscalls, ioctlSize?: (request: number) => number): HostImports {
  let buffer = new ArrayBuffer(0);

  /** A view of `len` bytes at `ptr`, or undefined when the range leaves the memory. */
  function bytes(ptr: number, len: number, cache: ViewCache): Uint8Array | undefined {
    if (buffer.byteLength === 0) buffer = memory().buffer; // first use, or detached by a grow
    ptr >>>= 0;
    len >>>= 0;
    if (cache.buffer === buffer && cache.ptr === ptr && cache.len === len) return cache.view;
    if (len > buffer.byteLength || ptr > buffer.byteLength - len) return undefined;
    cache.buffer = buffer;
    cache.ptr = ptr;
    cache.len = len;
    return (cache.view = new Uint8Array(buffer, ptr, len));
  }

  // The core's requests are a handful of constants: the last one is kept as the backend gets it
  // (unsigned: a number above 2^31 made anew is a heap allocation on every call), with its size.
  let lastRequest = NaN;
  let lastUnsignedRequest = 0;
  let lastRequestSize = 0;
  function unsignedRequest(request: number): number {
    if (request !== lastRequest) {
      lastUnsignedRequest = request >>> 0;
      lastRequestSize = ioctlSize ? ioctlSize(lastUnsignedRequest) : 0;
      lastRequest = request;
    }
    return lastUnsignedRequest;
  }

  const siginfoViews = viewCache();
  const waitidViews = viewCache();
  const ioctlViews = viewCache();
  const fstatViews = viewCache();
  const fstatfsViews = viewCache();
  const pathViews = viewCache();
  const handleViews = viewCache();
  const mountViews = viewCache();
  const fdinfoViews = viewCache();
  const openHandleViews = viewCache();
  const sockoptViews = viewCache();

  return {
    pidfd_open(pid, flags) {
      try { return checked(sys.pidfdOpen(pid, flags >>> 0)); } catch { return -EIO; }
    },
    pidfd_send_signal(pidfd, sig, info, infoLen, flags) {
      const view = infoLen === 0 ? null : infoLen >>> 0 >= SIGINFO_SIZE ? bytes(info, infoLen, siginfoViews) : undefined;
      if (view === undefined) return -EFAULT;
      try { return checked(sys.pidfdSendSignal(pidfd, sig, view, flags >>> 0)); } catch { return -EIO; }
    },
    pidfd_getfd(pidfd, targetfd, flags) {
      try { return checked(sys.pidfdGetfd(pidfd, targetfd, flags >>> 0)); } catch { return -EIO; }
    },
    waitid(idtype, id, infop, infolen, options) {
      const info = infolen >>> 0 >= SIGINFO_SIZE ? bytes(infop, infolen, waitidViews) : undefined;
      if (!info) return -EFAULT;
      try { return checked(sys.waitid(idtype, id, info, options)); } catch { return -EIO; }
    },
    ioctl(fd, request, arg, len) {
      const unsigned = unsignedRequest(request);
      if (len >>> 0 < lastRequestSize) return -EFAULT;
      const view = len === 0 ? null : bytes(arg, len, ioctlViews);
      if (view === undefined) return -EFAULT;
      try { return checked(sys.ioctl(fd, unsigned, view)); } catch { return -EIO; }
    },
    fstat(fd, buf, len) {
      const view = len >>> 0 >= STAT_SIZE ? bytes(buf, len, fstatViews) : undefined;
      if (!view) return -EFAULT;
      try { return checked(sys.fstat(fd, view)); } catch { return -EIO; }
    },
    fstatfs(fd, buf, len) {
      const view = len >>> 0 >= STATFS_SIZE ? bytes(buf, len, fstatfsViews) : undefined;
      if (!view) return -EFAULT;
      try { return checked(sys.fstatfs(fd, view)); } catch { return -EIO; }
    },
    name_to_handle_at(dirfd, path, pathLen, handle, handleLen, mountId, flags) {
      const pathView = bytes(path, pathLen, pathViews);
      const handleView = handleLen >>> 0 >= FILE_HANDLE_HEADER ? bytes(handle, handleLen, handleViews) : undefined;
      // An int, or a u64 with AT_HANDLE_MNT_ID_UNIQUE (Linux 6.12), which this core never passes.
      const mountView = bytes(mountId, (flags & AT_HANDLE_MNT_ID_UNIQUE) !== 0 ? 8 : 4, mountViews);
      if (!pathView || !pathView.includes(0) || !handleView || !mountView) return -EFAULT;
      // The kernel writes up to handle_bytes bytes after the header: they must fit in the view.
      if (handleBytes(handleView) > handleView.length - FILE_HANDLE_HEADER) return -EFAULT;
      try { return checked(sys.nameToHandleAt(dirfd, pathView, handleView, mountView, flags)); } catch { return -EIO; }
    },
    setns(fd, nstype) {
      try { return checked(sys.setns(fd, nstype)); } catch { return -EIO; }
    },
    close(fd) {
      try { return checked(sys.close(fd)); } catch { return -EIO; }
    },
    open_by_handle_at(mountFd, handle, handleLen, flags) {
      const handleView = handleLen >>> 0 >= FILE_HANDLE_HEADER ? bytes(handle, handleLen, openHandleViews) : undefined;
      if (!handleView) return -EFAULT;
      // The kernel reads handle_bytes bytes after the header: they must lie in the view.
      if (handleBytes(handleView) > handleView.length - FILE_HANDLE_HEADER) return -EFAULT;
      try { return checked(sys.openByHandleAt(mountFd, handleView, flags)); } catch { return -EIO; }
    },
    getsockopt(fd, level, optname, optval, optvalLen) {
      const view = bytes(optval, optvalLen, sockoptViews);
      if (!view) return -EFAULT;
      try { return checked(sys.getsockopt(fd, level, optname, view)); } catch { return -EIO; }
    },
    read_fdinfo(fd, buf, len) {
      const view = bytes(buf, len, fdinfoViews);
      if (!view) return -EFAULT;
      try { return checked(sys.readFdinfo(fd, view)); } catch { return -EIO; }
    },
    process_mrelease(pidfd, flags) {
      try { return checked(sys.processMrelease(pidfd, flags >>> 0)); } catch { return -EIO; }
    },
  };
}
