// The wait(2) status integer and its decoders (the WIFEXITED family, include/uapi/linux/wait.h
// and glibc bits/waitstatus.h), packed into one number for the host.

import { arch, signalMax } from "./arch";

export const WNOHANG: i32 = 0x00000001;
export const WUNTRACED: i32 = 0x00000002;
export const WSTOPPED: i32 = WUNTRACED;
export const WEXITED: i32 = 0x00000004;
export const WCONTINUED: i32 = 0x00000008;
export const WNOWAIT: i32 = 0x01000000;
export const P_PIDFD: i32 = 3;

export function wIfExited(s: i32): bool { return (s & 0x7f) == 0; }
export function wExitStatus(s: i32): i32 { return (s >> 8) & 0xff; }
export function wIfSignaled(s: i32): bool { return ((((s & 0x7f) + 1) << 24) >> 25) > 0; }
export function wTermSig(s: i32): i32 { return s & 0x7f; }
export function wCoreDump(s: i32): bool { return (s & 0x80) != 0; }
export function wIfStopped(s: i32): bool { return (s & 0xff) == 0x7f; }
export function wStopSig(s: i32): i32 { return (s >> 8) & 0xff; }
export function wIfContinued(s: i32): bool { return s == 0xffff; }

/** What a ptrace syscall-stop reports with PTRACE_O_TRACESYSGOOD: SIGTRAP | 0x80 (SIGTRAP is 5 everywhere). */
const SIGTRAP_SYSGOOD: i32 = 5 | 0x80;

/** Whether `sig` is a signal number on `a`: 1..SIGRTMAX. */
export function isSignal(a: i32, sig: i32): bool {
  return sig >= 1 && sig <= signalMax(a);
}

/** Whether a killed process's status can carry `sig`: a signal, but not 0x7f (mips's 127), which reads as a stop. */
export function isTermSignal(a: i32, sig: i32): bool {
  return isSignal(a, sig) && sig != 0x7f;
}

/** Whether a stop can report `sig`: a signal, or SIGTRAP | 0x80 (a ptrace syscall-stop). */
export function isStopSignal(a: i32, sig: i32): bool {
  return isSignal(a, sig) || sig == SIGTRAP_SYSGOOD;
}

// decode_status() result: bits 0-7 the value (exit code or signal), bits 8-10 the kind,
// bit 11 the core-dump flag.
export const STATUS_INVALID: i32 = 0;
export const STATUS_EXITED: i32 = 1;
export const STATUS_SIGNALED: i32 = 2;
export const STATUS_STOPPED: i32 = 3;
export const STATUS_CONTINUED: i32 = 4;
export const STATUS_CORE_FLAG: i32 = 1 << 11;

/**
 * Decodes a wait(2) status as kernel/exit.c builds one: exited `code << 8` (code 0..255);
 * killed `sig | 0x80 if it dumped core` (sig 1..SIGRTMAX, not 0x7f); stopped `sig << 8 | 0x7f`
 * (sig 1..SIGRTMAX or SIGTRAP | 0x80); continued 0xffff. Anything else is STATUS_INVALID: no
 * process has it.
 */
export function decodeStatus(s: i32): i32 {
  if (s < 0 || s > 0xffff) return STATUS_INVALID;
  const a = arch();
  if (wIfExited(s)) return wCoreDump(s) ? STATUS_INVALID : (STATUS_EXITED << 8) | wExitStatus(s);
  if (wIfContinued(s)) return STATUS_CONTINUED << 8;
  if (wIfStopped(s)) return isStopSignal(a, wStopSig(s)) ? (STATUS_STOPPED << 8) | wStopSig(s) : STATUS_INVALID;
  if (wIfSignaled(s) && s <= 0xff && isTermSignal(a, wTermSig(s))) {
    return (STATUS_SIGNALED << 8) | wTermSig(s) | (wCoreDump(s) ? STATUS_CORE_FLAG : 0);
  }
  return STATUS_INVALID;
}
