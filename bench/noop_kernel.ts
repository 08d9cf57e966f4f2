// A backend whose "syscalls" return at once with plausible answers: the public API run on it
// costs only what the library adds (argument checks, Wasm, imports, decoding, objects). It is
// not a kernel model (see host/sys/simulated.ts for that); it only has to keep every op happy.
import type { Syscalls } from "../host/sys/syscalls.js";

const ESRCH = 3;
const PID_FS_MAGIC = 0x50494446;

/** The no-op backend; `deadFd` answers ESRCH to signals. */
export function noopSyscalls(deadFd: number): Syscalls {
  let nextFd = 1000;
  return {
    pidfdOpen: () => nextFd++,
    pidfdSendSignal: (fd) => (fd === deadFd ? -ESRCH : 0),
    pidfdGetfd: () => nextFd++,
    waitid: () => 0, // si_pid stays 0: "no state change" (WNOHANG on a running child)
    ioctl(_fd, _request, arg) {
      if (!arg) return nextFd++; // a namespace ioctl
      // PIDFD_GET_INFO: return what was asked, with a pid.
      const view = new DataView(arg.buffer, arg.byteOffset, arg.byteLength);
      view.setUint32(0, view.getUint32(0, true) & 0x7, true);
      view.setUint32(16, 4242, true);
      view.setUint32(20, 4242, true);
      view.setUint32(24, 1, true);
      return 0;
    },
    fstat(_fd, stat) {
      new DataView(stat.buffer, stat.byteOffset).setBigUint64(8, 0x1234n, true); // st_ino
      return 0;
    },
    fstatfs(_fd, statfs) {
      new DataView(statfs.buffer, statfs.byteOffset).setBigInt64(0, BigInt(PID_FS_MAGIC), true); // f_type
      return 0;
    },
    nameToHandleAt(_dirfd, _path, handle) {
      const view = new DataView(handle.buffer, handle.byteOffset, handle.byteLength);
      view.setUint32(0, 8, true);
      view.setInt32(4, 0xfe, true);
      view.setBigUint64(8, 0x1234n, true);
      return 0;
    },
    setns: () => 0,
    close: () => 0,
    readFdinfo: () => -ESRCH,
  };
}
