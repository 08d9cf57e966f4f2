// struct file_handle (include/linux/fs.h, name_to_handle_at(2)) as pidfs fills it (Linux 6.13):
// handle_type FILEID_KERNFS and 8 bytes holding the process's 64-bit inode number.

export const MAX_HANDLE_SZ: u32 = 128;
export const FILE_HANDLE_HEADER: u32 = 8;
export const FILEID_KERNFS: i32 = 0xfe;
export const AT_EMPTY_PATH: i32 = 0x1000;
/** The size of a pidfs handle: one u64. */
export const PIDFS_HANDLE_BYTES: u32 = 8;

@unmanaged
export class FileHandle {
  /* 0 */ handle_bytes: u32;  // in: room after the header; out: bytes used (or needed, with EOVERFLOW)
  /* 4 */ handle_type: i32;
  /* 8 */ // unsigned char f_handle[handle_bytes]
}

/** The u64 in a pidfs handle's f_handle. */
export function pidfsHandleInode(handle: usize): u64 {
  return load<u64>(handle, FILE_HANDLE_HEADER);
}
