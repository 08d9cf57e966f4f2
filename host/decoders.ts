// The core's decoders and request codes, for programs that make their own syscalls. None of
// these makes a syscall.
import { IOC_NONE, IOC_READ, IOC_WRITE, NAMESPACE_TYPES } from "./constants.js";
import { ARCH_CODES, RESULT } from "./core.js";
import { EAGAIN, EINVAL } from "./errno.js";
import { checkInt, invalidArg, outOfRange, rangeError } from "./errors.js";
import { ExitStatus } from "./exit_status.js";
import { readInfo, type PidFdInfo } from "./info.js";
import type { NamespaceType } from "./pidfd.js";
import { decoderCore } from "./runtime.js";
import { oneOf } from "./validate.js";

export { IOC_NONE, IOC_READ, IOC_WRITE };

function archCode(arch: string | undefined): number {
  return oneOf("arch", ARCH_CODES, arch ?? process.arch);
}

/**
 * `_IOC(dir, type, nr, size)` in the layout of `arch` (a Node `process.arch` name; default this
 * machine's): generic (x86, arm, riscv, s390, loongarch) or powerpc/mips/sparc/alpha.
 */
export function ioc(dir: number, type: number, nr: number, size: number, arch?: string): number {
  checkInt("dir", dir, 0, 3);
  checkInt("type", type, 0, 0xff);
  checkInt("nr", nr, 0, 0xff);
  checkInt("size", size, 0, 0x1fff);
  return decoderCore().exports.ioc(archCode(arch), dir, type, nr, size) >>> 0;
}

/** `_IO(type, nr)`. */
export const io = (type: number, nr: number, arch?: string): number => ioc(IOC_NONE, type, nr, 0, arch);
/** `_IOR(type, nr, size)`. */
export const ior = (type: number, nr: number, size: number, arch?: string): number => ioc(IOC_READ, type, nr, size, arch);
/** `_IOW(type, nr, size)`. */
export const iow = (type: number, nr: number, size: number, arch?: string): number => ioc(IOC_WRITE, type, nr, size, arch);
/** `_IOWR(type, nr, size)`. */
export const iowr = (type: number, nr: number, size: number, arch?: string): number => ioc(IOC_READ | IOC_WRITE, type, nr, size, arch);

/** `PIDFD_GET_<type>_NAMESPACE` (Linux 6.11): pass an explicit 0 as the ioctl's third argument. */
export function namespaceRequest(type: NamespaceType, arch?: string): number {
  return decoderCore().exports.namespace_request(archCode(arch), oneOf("type", NAMESPACE_TYPES, type)) >>> 0;
}

/** `PIDFD_GET_INFO` (Linux 6.13) for a `struct pidfd_info` of `size` bytes (default 80, VER2). */
export function pidfdGetInfoRequest(size = 80, arch?: string): number {
  checkInt("size", size, 64, 0x1fff);
  return decoderCore().exports.get_info_request(archCode(arch), size) >>> 0;
}

function toScratch(bytes: Uint8Array, name: string): number {
  if (!(bytes instanceof Uint8Array)) throw invalidArg(name, "an instance of Uint8Array", bytes);
  return decoderCore().toScratch(bytes);
}

/**
 * Decodes the bytes of a `struct pidfd_info` that PIDFD_GET_INFO filled (64 bytes or more; the
 * mask at offset 0 says which fields are valid).
 */
export function decodePidfdInfo(bytes: Uint8Array): PidFdInfo {
  const core = decoderCore();
  const got = core.exports.decode_pidfd_info(toScratch(bytes, "bytes"));
  if (got < 0) throw new RangeError(`a struct pidfd_info has at least 64 bytes, got ${bytes.length}`);
  return readInfo(core, got);
}

/**
 * The status in a `siginfo_t` (128 bytes) that waitid(2) filled, or null when it holds none
 * (WNOHANG and nothing had happened).
 */
export function decodeSiginfo(bytes: Uint8Array): ExitStatus | null {
  const status = decoderCore().exports.decode_siginfo(toScratch(bytes, "bytes"));
  if (status === -EAGAIN) return null;
  if (status === -EINVAL) throw rangeError("The siginfo_t holds a si_code (CLD_*) and si_status that waitid never reports together");
  if (status < 0) throw new RangeError(`not a waitid siginfo_t of 128 bytes (${bytes.length} bytes)`);
  return ExitStatus.fromRaw(status);
}

const CHILD_CODES = ["CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"];

/**
 * The wait(2) status for a waitid() `si_code` (CLD_*) and `si_status`. RangeError
 * (ERR_OUT_OF_RANGE) for a `status` that `code` never comes with (docs/api.md).
 */
export function waitStatusFromChildCode(code: number, status: number): ExitStatus {
  const raw = decoderCore().exports.status_from_child_code(checkInt("code", code, 1, 6), checkInt("status", status, -0x80000000, 0x7fffffff));
  if (raw < 0) throw outOfRange("status", `a si_status that si_code ${code} (${CHILD_CODES[code - 1]}) comes with`, status);
  return ExitStatus.fromRaw(raw);
}

/** What /proc/self/fdinfo/<pidfd> says about the process. */
export interface FdinfoPid {
  /** The `Pid:` value: -1 once reaped, 0 when outside our pid namespace. */
  pid: number;
  /** The `NSpid:` entries: how many pid namespaces deep the process is (0 without the line). */
  nspidDepth: number;
  /** The innermost `NSpid:` entry: the pid as the process itself sees it. */
  nspidInner: number;
}

/** Parses fdinfo text of a pidfd; null when it has no `Pid:` line (not a pidfd's). */
export function parseFdinfo(text: string | Uint8Array): FdinfoPid | null {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const core = decoderCore();
  if (core.exports.parse_fdinfo(toScratch(bytes, "text")) < 0) return null;
  return { pid: core.resultI32(RESULT.pid), nspidDepth: core.resultI32(RESULT.nspidDepth), nspidInner: core.resultI32(RESULT.nspidInner) };
}

/** What the first lines of any fd's /proc/self/fdinfo/<fd> say. */
export interface FdinfoCommon {
  /** The file status flags (O_* bits, as fcntl(F_GETFL) gives them, plus O_CLOEXEC). */
  flags: number;
  /** The file position. */
  pos: bigint;
}

/** Parses the `flags:` and `pos:` lines of any fd's fdinfo text; null when either is missing. */
export function parseFdinfoCommon(text: string | Uint8Array): FdinfoCommon | null {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const core = decoderCore();
  const flags = core.exports.parse_fdinfo_common(toScratch(bytes, "text"));
  return flags < 0 ? null : { flags, pos: core.resultU64(RESULT.pos) };
}

/** Decodes a wait(2) status integer (same as ExitStatus.fromRaw). */
export function decodeWaitStatus(raw: number): ExitStatus {
  return ExitStatus.fromRaw(raw);
}
