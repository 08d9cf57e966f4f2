// struct pidfd_info (include/uapi/linux/pidfd.h): the PIDFD_GET_INFO argument. Native endian,
// natural alignment, the same on 32- and 64-bit. The kernel copies min(our size, its size) and
// zero-fills the rest of our buffer, so we always pass the largest version we know.

export const PIDFD_INFO_SIZE_VER0: u32 = 64; // Linux 6.13: up to exit_code
export const PIDFD_INFO_SIZE_VER1: u32 = 72; // Linux 6.16: coredump_mask
export const PIDFD_INFO_SIZE_VER2: u32 = 80; // Linux 6.19: supported_mask
/** The size we pass: the newest version this core decodes. */
export const PIDFD_INFO_SIZE: u32 = PIDFD_INFO_SIZE_VER2;

// Mask bits: set by the caller to ask, returned by the kernel for what it filled in.
export const PIDFD_INFO_PID: u32 = 1 << 0;             // always returned for a live task
export const PIDFD_INFO_CREDS: u32 = 1 << 1;           // always returned for a live task
export const PIDFD_INFO_CGROUPID: u32 = 1 << 2;        // returned when cgroups are configured
export const PIDFD_INFO_EXIT: u32 = 1 << 3;            // Linux 6.15, after the reap, when asked
export const PIDFD_INFO_COREDUMP: u32 = 1 << 4;        // Linux 6.16, when asked
export const PIDFD_INFO_SUPPORTED_MASK: u32 = 1 << 5;  // Linux 6.19
export const PIDFD_INFO_COREDUMP_SIGNAL: u32 = 1 << 6; // Linux 6.19

// coredump_mask bits (include/uapi/linux/pidfd.h, Linux 6.16). pidfs records a dump (COREDUMPED
// with USER or ROOT) only where fs/coredump.c calls pidfs_coredump(): a core_pattern socket
// ("@path", coredump_sock_connect) or a pipe handler given the pidfd ("|prog %F",
// umh_coredump_setup); a dump to a file is not recorded. For a live process, pidfd_info() fills
// in the dumpability instead (USER, ROOT, or SKIP when not dumpable), without COREDUMPED.
export const PIDFD_COREDUMPED: u32 = 1 << 0;    // a dump was written (to a socket or pipe handler)
export const PIDFD_COREDUMP_SKIP: u32 = 1 << 1; // not dumpable (SUID_DUMP_DISABLE)
export const PIDFD_COREDUMP_USER: u32 = 1 << 2; // dumped / dumpable as the user (SUID_DUMP_USER)
export const PIDFD_COREDUMP_ROOT: u32 = 1 << 3; // dumped / dumpable as root (SUID_DUMP_ROOT): sensitive

@unmanaged
export class PidfdInfo {
  /*  0 */ mask: u64;
  /*  8 */ cgroupid: u64;
  /* 16 */ pid: u32;
  /* 20 */ tgid: u32;
  /* 24 */ ppid: u32;
  /* 28 */ ruid: u32;
  /* 32 */ rgid: u32;
  /* 36 */ euid: u32;
  /* 40 */ egid: u32;
  /* 44 */ suid: u32;
  /* 48 */ sgid: u32;
  /* 52 */ fsuid: u32;
  /* 56 */ fsgid: u32;
  /* 60 */ exit_code: i32;        // a wait(2) status (VER0; filled from 6.15)
  /* 64 */ coredump_mask: u32;    // VER1
  /* 68 */ coredump_signal: u32;  // VER1 field, filled from 6.19
  /* 72 */ supported_mask: u64;   // VER2
}
