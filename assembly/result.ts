// The result area: where exports that produce more than one number write them. Its layout is
// part of the ABI (docs/abi.md, "Result area"); it is this core's own, not a kernel struct.
// Each export says which fields it writes; the others keep their previous values.

export const RESULT_SIZE: u32 = 96;
export const RESULT: usize = memory.data(96, 8);

@unmanaged
export class Result {
  /*  0 */ cgroupid: u64;         // get_info
  /*  8 */ id: u64;               // get_id: the unique process id
  /* 16 */ mask: u32;             // get_info: PIDFD_INFO_* bits the kernel filled in
  /* 20 */ pid: i32;              // get_info: the __u32 of struct pidfd_info; parse_fdinfo: Pid: (-1 once reaped)
  /* 24 */ tgid: i32;             // get_info: a __u32
  /* 28 */ ppid: i32;             // get_info: a __u32
  /* 32 */ ruid: u32;             // get_info: credentials, 32..63
  /* 36 */ rgid: u32;
  /* 40 */ euid: u32;
  /* 44 */ egid: u32;
  /* 48 */ suid: u32;
  /* 52 */ sgid: u32;
  /* 56 */ fsuid: u32;
  /* 60 */ fsgid: u32;
  /* 64 */ exit_status: i32;      // get_info: the kernel's exit_code, when mask has EXIT
  /* 68 */ coredump_mask: u32;    // get_info: when mask has COREDUMP
  /* 72 */ coredump_signal: u32;  // get_info: when mask has COREDUMP_SIGNAL
  /* 76 */ supported_mask: u32;   // get_info: when mask has SUPPORTED_MASK
  /* 80 */ nspid_depth: i32;      // parse_fdinfo, get_pid's fallback: how many NSpid entries
  /* 84 */ nspid_inner: i32;      // parse_fdinfo, get_pid's fallback: the innermost NSpid entry
  /* 88 */ pos: u64;              // parse_fdinfo_common: the file position
}

export function result(): Result {
  return changetype<Result>(RESULT);
}
