// The errno values the host checks for, in the asm-generic numbering the core's ABI uses
// (docs/abi.md): the same as x86_64's, aarch64's and riscv64's.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENOTDIR = 20;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ERANGE = 34;
export const ENOSYS = 38;
export const ENODATA = 61;
export const EOVERFLOW = 75;
export const ENOTSOCK = 88;
export const ENOPROTOOPT = 92;
/** The same number as ENOTSUP: the core's "the kernel cannot do this" answer. */
export const EOPNOTSUPP = 95;
export const ETIMEDOUT = 110;
export const ESTALE = 116;
