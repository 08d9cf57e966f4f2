// A backend whose "syscalls" return at once with plausible answers: the public API run on it
// costs only what the library adds (argument checks, Wasm, imports, decoding, objects). It is
// not a kernel model (see host/sys/simulated.ts for that); it only has to keep every op happy.
import type { Syscalls } from "../host/sys/syscalls.js";

const ESRCH = 3;
const ENOSYS = 38;
const PID_FS_MAGIC = 0x50494446;

/** The no-op backend; `deadFd` answers ESRCH to signals. */
export function noopSyscalls(deadFd: number): Syscalls {
  // fd numbers no real file has, recycled (the library tracks owned fds in a table of bounded size)
  let counter = 0;
  const nextFd = (): number => 1000 + (counter++ % 1000);
  let cached: DataView | undefined;
  /** A DataView of the memory `bytes` lies in (kept while that memory stays the same). */
  function memoryView(bytes: Uint8Array): DataView {
    if (cached?.buffer !== bytes.buffer) cached = new DataView(bytes.buffer);
    return cached;
  }
  return {
    pidfdOpen: () => nextFd(),
    pidfdSendSignal: (fd) => (fd === deadFd ? -ESRCH : 0),
    pidfdGetfd: () => nextFd(),
    processMrelease: () => 0,
    waitid: () => 0, // si_pid stays 0: "no state change" (WNOHANG on a running child)
    ioctl(_fd, _request, arg) {
      if (!arg) return nextFd(); // a namespace ioctl
      // PIDFD_GET_INFO: return what was asked, with a pid.
      const view = memoryView(arg);
      const at = arg.byteOffset;
      view.setUint32(at, view.getUint32(at, true) & 0x7, true);
      view.setUint32(at + 16, 4242, true);
      view.setUint32(at + 20, 4242, true);
      view.setUint32(at + 24, 1, true);
      return 0;
    },
    fstat(_fd, stat) {
      memoryView(stat).setBigUint64(stat.byteOffset + 8, 0x1234n, true); // st_ino
      return 0;
    },
    fstatfs(_fd, statfs) {
      memoryView(statfs).setBigInt64(statfs.byteOffset, BigInt(PID_FS_MAGIC), true); // f_type
      return 0;
    },
    nameToHandleAt(_dirfd, _path, handle) {
      const view = memoryView(handle);
      view.setUint32(handle.byteOffset, 8, true);
      view.setInt32(handle.byteOffset + 4, 0xfe, true);
      view.setBigUint64(handle.byteOffset + 8, 0x1234n, true);
      return 0;
    },
    openByHandleAt: () => nextFd(),
    getsockopt: () => -ENOSYS,
    setns: () => 0,
    close: () => 0,
    readFdinfo: () => -ESRCH,
  };
}
