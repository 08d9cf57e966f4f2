// siginfo_t as waitid(2) fills it (include/uapi/asm-generic/siginfo.h), and its translation to
// the wait(2) status integer, as the kernel builds one in kernel/exit.c.

import { ARCH_MIPS, ARCH_MIPS64, is32Bit } from "./arch";

export const SIGINFO_SIZE: u32 = 128;

export const CLD_EXITED: i32 = 1;
export const CLD_KILLED: i32 = 2;
export const CLD_DUMPED: i32 = 3;
export const CLD_TRAPPED: i32 = 4;
export const CLD_STOPPED: i32 = 5;
export const CLD_CONTINUED: i32 = 6;

// 64-bit layout: si_signo 0, si_errno 4, si_code 8, (pad) si_pid 16, si_uid 20, si_status 24.
// 32-bit layout: si_pid 12, si_uid 16, si_status 20. MIPS swaps si_code and si_errno.

export function siCode(arch: i32, si: usize): i32 {
  return arch == ARCH_MIPS || arch == ARCH_MIPS64 ? load<i32>(si, 4) : load<i32>(si, 8);
}

export function siPid(arch: i32, si: usize): i32 {
  return is32Bit(arch) ? load<i32>(si, 12) : load<i32>(si, 16);
}

export function siStatus(arch: i32, si: usize): i32 {
  return is32Bit(arch) ? load<i32>(si, 20) : load<i32>(si, 24);
}

/** The wait(2) status for a child state change (si_code, si_status); -1 for an unknown si_code. */
export function waitStatusFromChildCode(code: i32, status: i32): i32 {
  switch (code) {
    case CLD_EXITED: return (status & 0xff) << 8;
    case CLD_KILLED: return status & 0x7f;
    case CLD_DUMPED: return (status & 0x7f) | 0x80;
    case CLD_TRAPPED:
    case CLD_STOPPED: return ((status & 0xff) << 8) | 0x7f;
    case CLD_CONTINUED: return 0xffff;
  }
  return -1;
}
