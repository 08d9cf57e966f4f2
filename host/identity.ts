// Identities that outlive a pidfd: the bytes of PidFd.toHandle() and the pidfile format. Both name
// a process by its pid, its pidfs id (unique while the system runs) and the boot it was read in
// (pidfs counts ids from 2 again at every boot, fs/pidfs.c pidfs_add_pid), so that neither a
// reused pid nor a reboot can make them name another process.
import fs from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import { PidFdError, invalidArg } from "./errors.js";
import { EINVAL, ENODATA } from "./errno.js";

/** "PIDH": the first four bytes of every handle. */
const HANDLE_MAGIC = 0x48444950;
/** The handle layout this host writes and reads. */
export const HANDLE_VERSION = 1;
/** FILEID_KERNFS (include/linux/exportfs.h): the handle type pidfs gives, 8 bytes holding the id. */
const FILEID_KERNFS = 0xfe;
const PIDFS_HANDLE_BYTES = 8;
/**
 * Version 1, 44 bytes, little-endian: magic "PIDH" (4), version (1), 3 zero bytes, pid (u32, in
 * the writer's pid namespace), boot id (16), then struct file_handle as pidfs fills it:
 * handle_type (i32, FILEID_KERNFS), handle_bytes (u32, 8), f_handle (the u64 id).
 */
export const HANDLE_SIZE = 44;

/** What a handle or a pidfile says: the process's pid, its pidfs id, and the boot both were read in. */
export interface ProcessIdentity {
  pid: number;
  id: bigint;
  /** /proc/sys/kernel/random/boot_id, e.g. "4e066677-9231-4259-8fc7-c579f317c9a1". */
  bootId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let currentBoot: string | undefined;

/** This boot's id (/proc/sys/kernel/random/boot_id, random at each boot), read once. */
export function bootId(): string {
  if (currentBoot !== undefined) return currentBoot;
  let text: string;
  try {
    text = fs.readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).errno;
    throw new PidFdError({ errno: typeof errno === "number" ? -errno : ENODATA, syscall: "open",
      detail: "/proc/sys/kernel/random/boot_id: a process identity needs the boot id", cause: error });
  }
  if (!UUID.test(text)) throw new PidFdError({ errno: EINVAL, syscall: "read", detail: `/proc/sys/kernel/random/boot_id is '${text}'` });
  return (currentBoot = text);
}

/** The handle of a process (see HANDLE_SIZE). */
export function encodeHandle(identity: ProcessIdentity): Buffer {
  const buf = Buffer.alloc(HANDLE_SIZE);
  buf.writeUInt32LE(HANDLE_MAGIC, 0);
  buf.writeUInt8(HANDLE_VERSION, 4);
  buf.writeUInt32LE(identity.pid, 8);
  Buffer.from(identity.bootId.replaceAll("-", ""), "hex").copy(buf, 12);
  buf.writeInt32LE(FILEID_KERNFS, 28);
  buf.writeUInt32LE(PIDFS_HANDLE_BYTES, 32);
  buf.writeBigUInt64LE(identity.id, 36);
  return buf;
}

/**
 * Reads a handle written by encodeHandle.
 * @throws {TypeError} ERR_INVALID_ARG_TYPE for anything but a Uint8Array; ERR_INVALID_ARG_VALUE
 *   for bytes that are no handle of this version.
 */
export function decodeHandle(name: string, handle: unknown): ProcessIdentity {
  if (!(handle instanceof Uint8Array)) throw invalidArg(name, "an instance of Buffer or Uint8Array", handle);
  const bad = (why: string): TypeError => invalidArg(name, `a handle from PidFd.toHandle() (${why})`, handle, "ERR_INVALID_ARG_VALUE");
  const buf = Buffer.from(handle.buffer, handle.byteOffset, handle.byteLength);
  if (buf.length < 8 || buf.readUInt32LE(0) !== HANDLE_MAGIC) throw bad("no PIDH magic");
  if (buf[4] !== HANDLE_VERSION) throw bad(`version ${buf[4]}, this host reads version ${HANDLE_VERSION}`);
  if (buf.length !== HANDLE_SIZE) throw bad(`${buf.length} bytes, version ${HANDLE_VERSION} has ${HANDLE_SIZE}`);
  if (buf.readInt32LE(28) !== FILEID_KERNFS || buf.readUInt32LE(32) !== PIDFS_HANDLE_BYTES) throw bad("not a pidfs file handle");
  const pid = buf.readUInt32LE(8);
  const id = buf.readBigUInt64LE(36);
  if (pid < 1 || pid > 0x7fffffff || id < 2n) throw bad("no process in it");
  const hex = buf.toString("hex", 12, 28);
  const boot = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { pid, id, bootId: boot };
}

/** What a pidfile holds: its pid, and the identity line's id and boot (null for a bare-pid pidfile). */
export interface PidfileContents {
  pid: number;
  /** The pidfs id (PidFd.getId()); null when the file has no identity line. */
  id: bigint | null;
  /** The boot the id was read in; null when the file has no identity line. */
  bootId: string | null;
}

/** The second line's first word. */
const IDENTITY_TAG = "pidfd-identity";
/** The most of a pidfile read: a pid, an identity line, and room for trailing junk. */
const PIDFILE_MAX = 4096;

/** A pidfile's text: the pid alone on line 1 (for tools that read a bare pid), the identity on line 2. */
export function formatPidfile(pid: number, identity: ProcessIdentity | null): string {
  return identity === null ? `${pid}\n` : `${pid}\n${IDENTITY_TAG} ${HANDLE_VERSION} ${identity.bootId} ${identity.id}\n`;
}

/**
 * A file's text in an error message, quoted with its control characters escaped (\x1B, \x00):
 * a pidfile in a shared directory must not write escape sequences to the reader's terminal.
 */
function quoted(text: string): string {
  return inspect(text);
}

/**
 * Reads a pidfile: line 1 a pid, optionally line 2 `pidfd-identity 1 <boot id> <id>`.
 * @throws {PidFdError} EINVAL when line 1 is no pid or line 2 is a malformed identity; Node's
 *   own errors when the file cannot be read (ENOENT, EACCES, ...).
 */
export function readPidfile(file: string): PidfileContents {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK); // libuv adds O_CLOEXEC
  let text: string;
  try {
    const buf = Buffer.alloc(PIDFILE_MAX);
    const n = fs.readSync(fd, buf, 0, PIDFILE_MAX, 0);
    text = buf.toString("latin1", 0, n);
  } finally {
    fs.closeSync(fd);
  }
  const invalid = (why: string): PidFdError => new PidFdError({ errno: EINVAL, method: "readPidfile", detail: `pidfile ${file}: ${why}` });
  const [first = "", second = ""] = text.split("\n");
  const pidText = first.trim();
  const pid = /^\d{1,10}$/.test(pidText) ? Number(pidText) : NaN;
  if (!(pid >= 1 && pid <= 0x7fffffff)) throw invalid(`line 1 is not a pid: ${quoted(first.slice(0, 40))}`);
  const words = second.trim().split(/\s+/);
  if (words[0] !== IDENTITY_TAG) return { pid, id: null, bootId: null };
  if (words[1] !== String(HANDLE_VERSION)) throw invalid(`identity version ${quoted(words[1] ?? "")}, this host reads ${HANDLE_VERSION}`);
  const boot = words[2] ?? "";
  const idText = words[3] ?? "";
  if (!UUID.test(boot) || !/^\d{1,20}$/.test(idText) || words.length !== 4) throw invalid(`malformed identity line ${quoted(second.slice(0, 80))}`);
  const id = BigInt(idText);
  if (id < 2n || id >= 1n << 64n) throw invalid(`id ${idText} out of range`);
  return { pid, id, bootId: boot };
}

/**
 * Writes `text` to `file` atomically: a new file in the same directory (O_CREAT | O_EXCL |
 * O_CLOEXEC, mode 0644 whatever the umask), written and fsync()ed, then renamed over `file`, and
 * the directory fsync()ed. A reader sees the old file or the new one, never a part.
 */
export function writeAtomically(file: string, text: string): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644); // libuv adds O_CLOEXEC
  let open = true;
  try {
    fs.fchmodSync(fd, 0o644);
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    fs.renameSync(temp, file);
  } catch (error) {
    if (open) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  const dirFd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
