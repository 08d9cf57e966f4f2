// ioctl request codes: _IOC and friends for both kernel layouts, and the PIDFS requests
// (include/uapi/asm-generic/ioctl.h, arch/{powerpc,mips,sparc,alpha}/include/uapi/asm/ioctl.h,
// include/uapi/linux/pidfd.h).

import { hasLegacyIocLayout } from "./arch";

export const IOC_NONE: u32 = 0;
export const IOC_WRITE: u32 = 1;
export const IOC_READ: u32 = 2;

/** `_IOC(dir, type, nr, size)` for `arch`; `dir` is IOC_NONE or IOC_READ|IOC_WRITE bits. */
export function ioc(arch: i32, dir: u32, type: u32, nr: u32, size: u32): u32 {
  if (hasLegacyIocLayout(arch)) {
    // 3 direction bits at 29: NONE=1, READ=2, WRITE=4; 13 size bits.
    let legacyDir: u32 = dir == IOC_NONE ? 1 : 0;
    if (dir & IOC_READ) legacyDir |= 2;
    if (dir & IOC_WRITE) legacyDir |= 4;
    return (legacyDir << 29) | ((size & 0x1fff) << 16) | ((type & 0xff) << 8) | (nr & 0xff);
  }
  // 2 direction bits at 30: NONE=0, WRITE=1, READ=2; 14 size bits.
  return (dir << 30) | ((size & 0x3fff) << 16) | ((type & 0xff) << 8) | (nr & 0xff);
}

/** `_IOC_SIZE(request)` for `arch`: the argument size a request code carries (0 for `_IO`). */
export function iocSize(arch: i32, request: u32): u32 {
  return hasLegacyIocLayout(arch) ? (request >>> 16) & 0x1fff : (request >>> 16) & 0x3fff;
}

/** `_IO(type, nr)`. */
export function io(arch: i32, type: u32, nr: u32): u32 {
  return ioc(arch, IOC_NONE, type, nr, 0);
}

/** `_IOR(type, nr, size)`. */
export function ior(arch: i32, type: u32, nr: u32, size: u32): u32 {
  return ioc(arch, IOC_READ, type, nr, size);
}

/** `_IOW(type, nr, size)`. */
export function iow(arch: i32, type: u32, nr: u32, size: u32): u32 {
  return ioc(arch, IOC_WRITE, type, nr, size);
}

/** `_IOWR(type, nr, size)`. */
export function iowr(arch: i32, type: u32, nr: u32, size: u32): u32 {
  return ioc(arch, IOC_READ | IOC_WRITE, type, nr, size);
}

export const PIDFS_IOCTL_MAGIC: u32 = 0xff;

// The namespace types, numbered as their PIDFD_GET_*_NAMESPACE ioctls (Linux 6.11).
export const NS_CGROUP: i32 = 1;
export const NS_IPC: i32 = 2;
export const NS_MNT: i32 = 3;
export const NS_NET: i32 = 4;
export const NS_PID: i32 = 5;
export const NS_PID_FOR_CHILDREN: i32 = 6;
export const NS_TIME: i32 = 7;
export const NS_TIME_FOR_CHILDREN: i32 = 8;
export const NS_USER: i32 = 9;
export const NS_UTS: i32 = 10;

/** ioctl nr of PIDFD_GET_INFO (Linux 6.13). */
export const PIDFS_IOCTL_GET_INFO: u32 = 11;

/** `PIDFD_GET_<type>_NAMESPACE = _IO(0xFF, type)`, or 0 for a type outside 1..10. */
export function pidfdGetNamespaceRequest(arch: i32, type: i32): u32 {
  if (type < NS_CGROUP || type > NS_UTS) return 0;
  return io(arch, PIDFS_IOCTL_MAGIC, <u32>type);
}

/** `PIDFD_GET_INFO = _IOWR(0xFF, 11, struct pidfd_info)` for a struct of `size` bytes. */
export function pidfdGetInfoRequest(arch: i32, size: u32): u32 {
  return iowr(arch, PIDFS_IOCTL_MAGIC, PIDFS_IOCTL_GET_INFO, size);
}

/** The setns(2) CLONE_NEW* flag of a namespace type, or 0 for an unknown type. */
export function namespaceCloneFlag(type: i32): i32 {
  switch (type) {
    case NS_CGROUP: return 0x02000000;
    case NS_IPC: return 0x08000000;
    case NS_MNT: return 0x00020000;
    case NS_NET: return 0x40000000;
    case NS_PID:
    case NS_PID_FOR_CHILDREN: return 0x20000000;
    case NS_TIME:
    case NS_TIME_FOR_CHILDREN: return 0x00000080;
    case NS_USER: return 0x10000000;
    case NS_UTS: return 0x04000000;
  }
  return 0;
}
