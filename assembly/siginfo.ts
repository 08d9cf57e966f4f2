// siginfo_t as waitid(2) fills it (include/uapi/asm-generic/siginfo.h), and its translation to
// the wait(2) status integer, as the kernel builds one in kernel/exit.c.

import { ARCH_MIPS, ARCH_MIPS64, is32Bit, sigcont } from "./arch";
import { isSignal, isStopSignal, isTermSignal } from "./wait_status";

export const SIGINFO_SIZE: u32 = 128;

export const CLD_EXITED: i32 = 1;
export const CLD_KILLED: i32 = 2;
export const CLD_DUMPED: i32 = 3;
export const CLD_TRAPPED: i32 = 4;
export const CLD_STOPPED: i32 = 5;
export const CLD_CONTINUED: i32 = 6;

// 64-bit layout: si_signo 0, si_errno 4, si_code 8, (pad) si_pid 16, si_uid 20, si_status 24.
// 32-bit layout: si_pid 12, si_uid 16, si_status 20. MIPS swaps si_code and si_errno.

/** si_code of a signal sent by sigqueue(3) / rt_sigqueueinfo(2) (include/uapi/asm-generic/siginfo.h). */
export const SI_QUEUE: i32 = -1;

export function siCode(arch: i32, si: usize): i32 {
  return arch == ARCH_MIPS || arch == ARCH_MIPS64 ? load<i32>(si, 4) : load<i32>(si, 8);
}

export function siPid(arch: i32, si: usize): i32 {
  return is32Bit(arch) ? load<i32>(si, 12) : load<i32>(si, 16);
}

/** Sets si_pid to 0: waitid(WNOHANG) leaves it so when no child has changed state. */
export function clearSiPid(arch: i32, si: usize): void {
  if (is32Bit(arch)) store<i32>(si, 0, 12);
  else store<i32>(si, 0, 16);
}

export function siStatus(arch: i32, si: usize): i32 {
  return is32Bit(arch) ? load<i32>(si, 20) : load<i32>(si, 24);
}

/**
 * The wait(2) status for a child state change (si_code, si_status) on `arch`, as waitid reports
 * it (kernel/exit.c): CLD_EXITED with the exit code (0..255); CLD_KILLED, CLD_DUMPED with the
 * signal; CLD_STOPPED with the stop signal; CLD_TRAPPED with the ptrace stop signal (bits 8-15:
 * the ptrace event, dropped: a wait(2) status holds it above bit 15); CLD_CONTINUED with
 * SIGCONT. -1 for an unknown si_code or a si_status that si_code never comes with.
 */
export function waitStatusFromChildCode(arch: i32, code: i32, status: i32): i32 {
  switch (code) {
    case CLD_EXITED:
      return status >= 0 && status <= 0xff ? status << 8 : -1;
    case CLD_KILLED:
      return isTermSignal(arch, status) ? status : -1;
    case CLD_DUMPED:
      return isTermSignal(arch, status) ? status | 0x80 : -1;
    case CLD_STOPPED:
      return isSignal(arch, status) ? (status << 8) | 0x7f : -1;
    case CLD_TRAPPED:
      return status >= 0 && status <= 0xffff && isStopSignal(arch, status & 0xff) ? ((status & 0xff) << 8) | 0x7f : -1;
    case CLD_CONTINUED:
      return status == sigcont(arch) ? 0xffff : -1;
  }
  return -1;
}

/**
 * Writes the siginfo_t that sigqueue(3) sends (glibc: rt_sigqueueinfo): `sig`, si_code SI_QUEUE,
 * the sender's pid and uid (the _rt fields) and `value` as si_value.sival_int (the whole
 * sival_ptr word is written, its upper half 0 on 64-bit); every other byte 0.
 * 64-bit: si_pid 16, si_uid 20, si_value 24; 32-bit: 12, 16, 20.
 */
export function encodeQueueSiginfo(arch: i32, si: usize, sig: i32, pid: i32, uid: u32, value: i32): void {
  memory.fill(si, 0, SIGINFO_SIZE);
  store<i32>(si, sig, 0);
  store<i32>(si + (arch == ARCH_MIPS || arch == ARCH_MIPS64 ? 4 : 8), SI_QUEUE);
  const rt: usize = si + (is32Bit(arch) ? 12 : 16);
  store<i32>(rt, pid);
  store<u32>(rt + 4, uid);
  store<i32>(rt + 8, value);
}
