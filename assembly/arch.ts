// Architectures, as the host names them to init(). Everything that differs between them
// (ioctl layout, O_* values, siginfo_t and struct stat offsets) is chosen here.

export const ARCH_X86_64: i32 = 1;
export const ARCH_AARCH64: i32 = 2;
export const ARCH_RISCV64: i32 = 3;
export const ARCH_PPC64: i32 = 4;
export const ARCH_MIPS64: i32 = 5;
export const ARCH_S390X: i32 = 6;
export const ARCH_LOONGARCH64: i32 = 7;
export const ARCH_SPARC64: i32 = 8;
export const ARCH_ALPHA: i32 = 9;
export const ARCH_X86: i32 = 10;
export const ARCH_ARM: i32 = 11;
export const ARCH_PPC: i32 = 12;
export const ARCH_MIPS: i32 = 13;
const ARCH_LAST: i32 = 13;

/** No architecture yet: every export that depends on one answers -EINVAL until init() (docs/abi.md). */
export const ARCH_NONE: i32 = 0;

let current: i32 = ARCH_NONE;

/** Selects the architecture; false for an unknown code (the current one stays). */
export function setArch(arch: i32): bool {
  if (arch < 1 || arch > ARCH_LAST) return false;
  current = arch;
  return true;
}

export function arch(): i32 {
  return current;
}

/** Whether init() has chosen an architecture. */
export function initialized(): bool {
  return current != ARCH_NONE;
}

/** powerpc, mips, sparc and alpha use the 3-bit-direction _IOC layout; everyone else the generic one. */
export function hasLegacyIocLayout(a: i32): bool {
  return a == ARCH_PPC64 || a == ARCH_PPC || a == ARCH_MIPS64 || a == ARCH_MIPS ||
    a == ARCH_SPARC64 || a == ARCH_ALPHA;
}

export function is32Bit(a: i32): bool {
  return a == ARCH_X86 || a == ARCH_ARM || a == ARCH_PPC || a == ARCH_MIPS;
}

/** O_NONBLOCK, which is PIDFD_NONBLOCK (asm-generic/fcntl.h and the arch overrides). */
export function oNonblock(a: i32): u32 {
  if (a == ARCH_MIPS64 || a == ARCH_MIPS) return 0x80;
  if (a == ARCH_SPARC64) return 0x4000;
  if (a == ARCH_ALPHA) return 0x4;
  return 0x800;
}

/** O_CLOEXEC, which is also EPOLL_CLOEXEC (asm-generic/fcntl.h and the arch overrides). */
export function oCloexec(a: i32): u32 {
  if (a == ARCH_SPARC64) return 0x400000;
  if (a == ARCH_ALPHA) return 0x200000;
  return 0x80000;
}

/** O_EXCL, which is PIDFD_THREAD. */
export function oExcl(a: i32): u32 {
  if (a == ARCH_MIPS64 || a == ARCH_MIPS) return 0x400;
  if (a == ARCH_SPARC64 || a == ARCH_ALPHA) return 0x800;
  return 0x80;
}

/** SIGRTMAX, the highest signal number: 64 (_NSIG), 127 on mips (_NSIG 128; glibc's SIGRTMAX). */
export function signalMax(a: i32): i32 {
  return a == ARCH_MIPS64 || a == ARCH_MIPS ? 127 : 64;
}

/** SIGCONT: 18 (asm-generic and most arches), 19 on sparc and alpha, 25 on mips. */
export function sigcont(a: i32): i32 {
  if (a == ARCH_MIPS64 || a == ARCH_MIPS) return 25;
  if (a == ARCH_SPARC64 || a == ARCH_ALPHA) return 19;
  return 18;
}

/** SOL_SOCKET: 1 (asm-generic/socket.h), 0xffff on mips, sparc and alpha (their asm/socket.h). */
export function solSocket(a: i32): i32 {
  return a == ARCH_MIPS64 || a == ARCH_MIPS || a == ARCH_SPARC64 || a == ARCH_ALPHA ? 0xffff : 1;
}

/** SO_PEERCRED: 17 (asm-generic/socket.h), 21 on powerpc, 18 on mips and alpha, 0x40 on sparc. */
export function soPeerCred(a: i32): i32 {
  if (a == ARCH_PPC64 || a == ARCH_PPC) return 21;
  if (a == ARCH_MIPS64 || a == ARCH_MIPS || a == ARCH_ALPHA) return 18;
  if (a == ARCH_SPARC64) return 0x40;
  return 17;
}

/** SO_PEERPIDFD (Linux 6.5): 77 (asm-generic/socket.h, also mips, alpha, powerpc), 0x56 on sparc. */
export function soPeerPidfd(a: i32): i32 {
  return a == ARCH_SPARC64 ? 0x56 : 77;
}
