// The `pidfd_host` import object: turns the core's pointer + length pairs into bounds-checked
// views of its memory and calls a Syscalls backend. Total: it never throws into Wasm.
import { FILE_HANDLE_HEADER, SIGINFO_SIZE, STAT_SIZE, STATFS_SIZE } from "./constants.js";
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
  setns(fd: number, nstype: number): number;
  close(fd: number): number;
  read_fdinfo(fd: number, buf: number, len: number): number;
  process_mrelease(pidfd: number, flags: number): number;
}

/** The import names, in the order assembly/host.ts declares them. */
export const HOST_IMPORT_NAMES: readonly (keyof HostImports)[] = [
  "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "waitid", "ioctl", "fstat", "fstatfs",
  "name_to_handle_at", "setns", "close", "read_fdinfo", "process_mrelease",
];


/**
 * Builds the import object for a core whose memory `memory()` returns once it is instantiated.
 * Every pointer + length is checked against the memory as it is at the call (it may have
 * grown); a range outside it gives -EFAULT and the backend is not called.
 */
export function createHostImports(memory: () => WasmMemory, sys: Syscalls): HostImports {
  let buffer = new ArrayBuffer(0);

  /** A view of `len` bytes at `ptr`, or undefined when the range leaves the memory. */
  function bytes(ptr: number, len: number): Uint8Array | undefined {
    if (buffer.byteLength === 0) buffer = memory().buffer; // first use, or detached by a grow
    ptr >>>= 0;
    len >>>= 0;
    if (len > buffer.byteLength || ptr > buffer.byteLength - len) return undefined;
    return new Uint8Array(buffer, ptr, len);
  }

  /** Calls `fn` and keeps a throwing backend from unwinding through Wasm. */
  function guard(fn: () => number): number {
    try {
      const rc = fn();
      return Number.isInteger(rc) ? rc : -EIO;
    } catch {
      return -EIO;
    }
  }

  return {
    pidfd_open: (pid, flags) => guard(() => sys.pidfdOpen(pid, flags >>> 0)),
    pidfd_send_signal(pidfd, sig, info, infoLen, flags) {
      if (infoLen === 0) return guard(() => sys.pidfdSendSignal(pidfd, sig, null, flags >>> 0));
      const view = infoLen >>> 0 >= SIGINFO_SIZE ? bytes(info, infoLen) : undefined;
      return view ? guard(() => sys.pidfdSendSignal(pidfd, sig, view, flags >>> 0)) : -EFAULT;
    },
    pidfd_getfd: (pidfd, targetfd, flags) => guard(() => sys.pidfdGetfd(pidfd, targetfd, flags >>> 0)),
    waitid(idtype, id, infop, infolen, options) {
      const info = infolen >>> 0 >= SIGINFO_SIZE ? bytes(infop, infolen) : undefined;
      return info ? guard(() => sys.waitid(idtype, id, info, options)) : -EFAULT;
    },
    ioctl(fd, request, arg, len) {
      if (len === 0) return guard(() => sys.ioctl(fd, request >>> 0, null));
      const view = bytes(arg, len);
      return view ? guard(() => sys.ioctl(fd, request >>> 0, view)) : -EFAULT;
    },
    fstat(fd, buf, len) {
      const view = len >>> 0 >= STAT_SIZE ? bytes(buf, len) : undefined;
      return view ? guard(() => sys.fstat(fd, view)) : -EFAULT;
    },
    fstatfs(fd, buf, len) {
      const view = len >>> 0 >= STATFS_SIZE ? bytes(buf, len) : undefined;
      return view ? guard(() => sys.fstatfs(fd, view)) : -EFAULT;
    },
    name_to_handle_at(dirfd, path, pathLen, handle, handleLen, mountId, flags) {
      const pathView = bytes(path, pathLen);
      const handleView = handleLen >>> 0 >= FILE_HANDLE_HEADER ? bytes(handle, handleLen) : undefined;
      const mountView = bytes(mountId, 4);
      if (!pathView || !pathView.includes(0) || !handleView || !mountView) return -EFAULT;
      // The kernel writes up to handle_bytes bytes after the header: they must fit in the view.
      const room = new DataView(handleView.buffer, handleView.byteOffset, 4).getUint32(0, true);
      if (room > handleView.length - FILE_HANDLE_HEADER) return -EFAULT;
      return guard(() => sys.nameToHandleAt(dirfd, pathView, handleView, mountView, flags));
    },
    setns: (fd, nstype) => guard(() => sys.setns(fd, nstype)),
    close: (fd) => guard(() => sys.close(fd)),
    read_fdinfo(fd, buf, len) {
      const view = bytes(buf, len);
      return view ? guard(() => sys.readFdinfo(fd, view)) : -EFAULT;
    },
    process_mrelease: (pidfd, flags) => guard(() => sys.processMrelease(pidfd, flags >>> 0)),
  };
}
