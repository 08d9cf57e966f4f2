// A minimal embedding of the pidfd core (docs/abi.md): plain WebAssembly, a hand-written import
// object, no as-bind, no koffi. The "kernel" here is a tiny fake that knows one process and
// answers PIDFD_GET_INFO; a real host would make the syscalls instead.
//
//   node examples/embed.mjs [path/to/pidfd.wasm]
import fs from "node:fs";

const wasmPath = process.argv[2] ?? new URL("../build/pidfd.wasm", import.meta.url);
const ENOSYS = 38, ESRCH = 3, EBADF = 9, EFAULT = 14, ENOTTY = 25;
const ARCH_X86_64 = 1;

const fakeProcess = { pid: 4242, ppid: 1, uid: 1000, gid: 100, cgroupId: 7n };
const PIDFD = 3;

let memory; // set once instantiated: the imports read and write the core's memory

/** A view of `len` bytes at `ptr`, or null when the range is outside the memory. */
function bytes(ptr, len) {
  ptr >>>= 0;
  len >>>= 0;
  const buffer = memory.buffer;
  return len <= buffer.byteLength && ptr <= buffer.byteLength - len ? new Uint8Array(buffer, ptr, len) : null;
}

const pidfd_host = {
  pidfd_open: (pid, flags) => (pid === fakeProcess.pid && flags === 0 ? PIDFD : -ESRCH),
  pidfd_send_signal: (fd) => (fd === PIDFD ? 0 : -EBADF),
  pidfd_getfd: () => -ENOSYS,
  process_mrelease: () => -ENOSYS,
  waitid: () => -ENOSYS,
  ioctl(fd, request, arg, len) {
    if (fd !== PIDFD) return -EBADF;
    // PIDFD_GET_INFO is _IOWR(0xFF, 11, size): direction 3, type 0xFF, nr 11.
    if ((request >>> 30) !== 3 || ((request >>> 8) & 0xff) !== 0xff || (request & 0xff) !== 11) return -ENOTTY;
    const info = bytes(arg, len);
    if (!info || len < 64) return -EFAULT;
    // struct pidfd_info (include/uapi/linux/pidfd.h), little-endian.
    const view = new DataView(info.buffer, info.byteOffset, len);
    const PID = 1, CREDS = 2, CGROUPID = 4;
    view.setBigUint64(0, BigInt(PID | CREDS | CGROUPID), true);
    view.setBigUint64(8, fakeProcess.cgroupId, true);
    view.setUint32(16, fakeProcess.pid, true);
    view.setUint32(20, fakeProcess.pid, true);
    view.setUint32(24, fakeProcess.ppid, true);
    for (let i = 0; i < 8; i++) view.setUint32(28 + 4 * i, i % 2 === 0 ? fakeProcess.uid : fakeProcess.gid, true);
    info.fill(0, 60); // exit_code and everything newer: zero
    return 0;
  },
  fstat: () => -ENOSYS,
  fstatfs: () => -ENOSYS,
  name_to_handle_at: () => -ENOSYS,
  open_by_handle_at: () => -ENOSYS,
  getsockopt: () => -ENOSYS,
  setns: () => -ENOSYS,
  close: (fd) => (fd === PIDFD ? 0 : -EBADF),
  read_fdinfo: () => -ENOSYS,
};

const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), { pidfd_host });
const core = instance.exports;
memory = core.memory;

if (core.abi_version() !== 2) throw new Error(`unknown core ABI ${core.abi_version()}`);
if (core.init(ARCH_X86_64) !== 0) throw new Error("init failed");

const fd = core.open(fakeProcess.pid, 0);
if (fd < 0) throw new Error(`open: errno ${-fd}`);
const PIDFD_INFO_PID = 1, PIDFD_INFO_CREDS = 2;
const mask = core.get_info(fd, PIDFD_INFO_PID | PIDFD_INFO_CREDS);
if (mask < 0) throw new Error(`get_info: errno ${-mask}`);

// The result area (docs/abi.md, "Result area").
const result = new DataView(memory.buffer, core.result_ptr() >>> 0, core.result_size() >>> 0);
const out = {
  fd,
  mask,
  pid: result.getInt32(20, true),
  ppid: result.getInt32(28, true),
  euid: result.getUint32(40, true),
  egid: result.getUint32(44, true),
  cgroupid: String(result.getBigUint64(0, true)),
  pidAgain: core.get_pid(fd),
  openMissing: core.open(1, 0),
};
console.log(JSON.stringify(out));
