// The wait(2) status integer and its decoders (the WIFEXITED family, include/uapi/linux/wait.h
// and glibc bits/waitstatus.h), packed into one number for the host.

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

// decode_status() result: bits 0-7 the value (exit code or signal), bits 8-10 the kind,
// bit 11 the core-dump flag.
export const STATUS_INVALID: i32 = 0;
export const STATUS_EXITED: i32 = 1;
export const STATUS_SIGNALED: i32 = 2;
export const STATUS_STOPPED: i32 = 3;
export const STATUS_CONTINUED: i32 = 4;
export const STATUS_CORE_FLAG: i32 = 1 << 11;

export function decodeStatus(s: i32): i32 {
  if (s < 0 || s > 0xffff) return STATUS_INVALID;
  if (wIfExited(s)) return (STATUS_EXITED << 8) | wExitStatus(s);
  if (wIfContinued(s)) return STATUS_CONTINUED << 8;
  if (wIfStopped(s)) return (STATUS_STOPPED << 8) | wStopSig(s);
  if (wIfSignaled(s)) {
    return (STATUS_SIGNALED << 8) | wTermSig(s) | (wCoreDump(s) ? STATUS_CORE_FLAG : 0);
  }
  return STATUS_INVALID;
}
