// The two fields the core reads from the kernel's stat structs. Both structs differ between
// architectures, but not where these fields sit on the 64-bit little-endian ones the ABI covers.

export const STAT_BUF_SIZE: u32 = 256;    // struct stat: 144 bytes on x86_64, 128 on asm-generic
export const STATFS_BUF_SIZE: u32 = 128;  // struct statfs: 120 bytes on 64-bit

/** pidfs' f_type (include/uapi/linux/magic.h): "PIDF", Linux 6.9. */
export const PID_FS_MAGIC: u32 = 0x50494446;

/** `struct statfs.f_type` (offset 0; a long, read as its low 32 bits). */
export function statfsType(buf: usize): u32 {
  return load<u32>(buf, 0);
}

/** `struct stat.st_ino` (offset 8 after the 8-byte st_dev, on every 64-bit architecture). */
export function statIno(buf: usize): u64 {
  return load<u64>(buf, 8);
}
