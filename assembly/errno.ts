// The errno values the core handles, in the asm-generic numbering the ABI uses.

export const ESRCH: i32 = 3;
export const EBADF: i32 = 9;
export const ECHILD: i32 = 10;
export const EAGAIN: i32 = 11;
export const EFAULT: i32 = 14;
export const EINVAL: i32 = 22;
export const ENOTTY: i32 = 25;
export const ERANGE: i32 = 34;
export const ENOSYS: i32 = 38;
export const ENODATA: i32 = 61;
export const EREMOTE: i32 = 66;
export const EOVERFLOW: i32 = 75;
export const ENOPROTOOPT: i32 = 92;
export const EPROTONOSUPPORT: i32 = 93;
export const ESOCKTNOSUPPORT: i32 = 94;
/** EOPNOTSUPP, the same number as ENOTSUP on Linux: the core's one "unsupported" result. */
export const EOPNOTSUPP: i32 = 95;
export const EPFNOSUPPORT: i32 = 96;
export const EAFNOSUPPORT: i32 = 97;
export const ESTALE: i32 = 116;

/**
 * Whether `err` is how a kernel says "this call or ioctl does not exist here" (pidfd-util-rs
 * `ioctl_unsupported`, systemd `ERRNO_IS_NEG_PIDFD_IOCTL_NOT_SUPPORTED`). EINVAL counts: kernels
 * 6.13-6.17 answer a GET_INFO they cannot serve with it.
 */
export function isUnsupportedErrno(err: i32): bool {
  return err == ENOTTY || err == ENOSYS || err == EINVAL || err == EOPNOTSUPP ||
    err == EAFNOSUPPORT || err == EPFNOSUPPORT || err == EPROTONOSUPPORT ||
    err == ESOCKTNOSUPPORT || err == ENOPROTOOPT;
}
