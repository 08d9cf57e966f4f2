// The core's instance, in any JavaScript runtime (Node, Deno, a browser worker): the exports'
// types, the Core class with its result-area readers, and startCore(), which checks the ABI
// version and calls init(). No Node API here: examples/deno/ imports it from dist/ as it is.
import { createHostImports, type HostImports } from "./imports.js";
import { noProcessSyscalls, type ProcessSyscalls, type Syscalls } from "./sys/syscalls.js";
import type { WasmMemory, WasmModule } from "./wasm_types.js";

/** The ABI version this host speaks (assembly/index.ts ABI_VERSION). */
export const ABI_VERSION = 2;

/** The core's exports (docs/abi.md). Numbers in, numbers out; u32 results arrive signed. */
export interface CoreExports {
  memory: WasmMemory;
  abi_version(): number;
  init(arch: number): number;
  result_ptr(): number;
  result_size(): number;
  scratch_ptr(): number;
  scratch_size(): number;
  open(pid: number, options: number): number;
  send_signal(fd: number, sig: number, scope: number): number;
  queue_signal(fd: number, sig: number, scope: number, value: number, pid: number, uid: number): number;
  release_memory(fd: number): number;
  get_info(fd: number, mask: number): number;
  get_pid(fd: number): number;
  get_ppid(fd: number): number;
  get_id(fd: number): number;
  open_handle(mountFd: number): number;
  peer_pidfd(fd: number): number;
  peer_pid(fd: number): number;
  get_namespace(fd: number, type: number): number;
  set_namespace(fd: number, types: number): number;
  get_remote_fd(fd: number, target: number): number;
  wait(fd: number, options: number): number;
  is_pidfd(fd: number): number;
  support(feature: number): number;
  o_cloexec(): number;
  epoll_event_size(): number;
  encode_epoll_event(events: number, fd: number): number;
  decode_epoll_events(count: number): number;
  decode_status(status: number): number;
  status_from_child_code(code: number, status: number): number;
  decode_siginfo(len: number): number;
  decode_pidfd_info(len: number): number;
  parse_fdinfo(len: number): number;
  parse_fdinfo_common(len: number): number;
  ioc(arch: number, dir: number, type: number, nr: number, size: number): number;
  namespace_request(arch: number, type: number): number;
  get_info_request(arch: number, size: number): number;
  ioctl_size(request: number): number;
  namespace_clone_flag(type: number): number;
}

/** The architecture codes of init() (assembly/arch.ts), by Node's `process.arch`. */
export const ARCH_CODES: Readonly<Record<string, number>> = {
  x64: 1, arm64: 2, riscv64: 3, ppc64: 4, mips64el: 5, s390x: 6, loong64: 7,
  sparc64: 8, alpha: 9, ia32: 10, arm: 11, ppc: 12, mips: 13, mipsel: 13,
};

/** A loaded core: its exports, readers of its result area, and the backend's process half. */
export class Core {
  readonly exports: CoreExports;
  readonly imports: HostImports;
  readonly sys: Syscalls;
  /** Whether the backend's fds are not this process's own (a simulated kernel): they cannot be polled. */
  readonly simulated: boolean;
  readonly #resultPtr: number;
  readonly #resultSize: number;
  #view: DataView;
  /** The memory as 32-bit words (the result area is 8-byte aligned): typed-array reads inline fully. */
  #words: Int32Array;
  /** The same as 64-bit words, for the u64 fields (8-byte aligned). */
  #dwords: BigUint64Array;

  constructor(exports: CoreExports, imports: HostImports, sys: Syscalls) {
    this.exports = exports;
    this.imports = imports;
    this.sys = sys;
    this.simulated = sys.simulated === true;
    this.#resultPtr = exports.result_ptr() >>> 0;
    this.#resultSize = exports.result_size() >>> 0;
    this.#view = new DataView(exports.memory.buffer);
    this.#words = new Int32Array(exports.memory.buffer);
    this.#dwords = new BigUint64Array(exports.memory.buffer);
  }

  /**
   * spawn(), pipes and epoll of this core's backend (`sys.processSyscalls`, bound on first use: a
   * command that spawns nothing and waits for nothing never binds them), or calls that answer ENOSYS.
   */
  get process(): ProcessSyscalls {
    return this.#process ??= this.sys.processSyscalls ?? noProcessSyscalls;
  }
  #process: ProcessSyscalls | undefined;

  /** close(2) through the backend, for the fds the core's exports created: 0 or -errno. */
  close(fd: number): number {
    return this.sys.close(fd);
  }

  /** A DataView of the whole memory, renewed if the memory has grown since. */
  get view(): DataView {
    if (this.#view.byteLength === 0) this.#view = new DataView(this.exports.memory.buffer);
    return this.#view;
  }

  /** The memory as i32 words, renewed if the memory has grown since (little-endian hosts only: loadCore checks). */
  #wordsNow(): Int32Array {
    if (this.#words.length === 0) this.#words = new Int32Array(this.exports.memory.buffer);
    return this.#words;
  }

  /** An i32 of the result area at `offset` (a multiple of 4). */
  resultI32(offset: number): number {
    return this.#wordsNow()[(this.#resultPtr + offset) >>> 2]!;
  }

  /** A u32 of the result area at `offset` (a multiple of 4). */
  resultU32(offset: number): number {
    return this.#wordsNow()[(this.#resultPtr + offset) >>> 2]! >>> 0;
  }

  /** A u64 of the result area at `offset` (a multiple of 8). */
  resultU64(offset: number): bigint {
    if (this.#dwords.length === 0) this.#dwords = new BigUint64Array(this.exports.memory.buffer);
    return this.#dwords[(this.#resultPtr + offset) >>> 3]!;
  }

  /**
   * A copy of the result area as the last export left it, for restoreResult(): a plain array of
   * its i32 words (a typed array's own buffer costs a backing-store allocation).
   */
  saveResult(): number[] {
    const words = this.#wordsNow();
    const start = this.#resultPtr >>> 2;
    const saved = new Array<number>(this.#resultSize >>> 2);
    for (let i = 0; i < saved.length; i++) saved[i] = words[start + i]!;
    return saved;
  }

  /** Writes back a saveResult() copy, so that the result-area readers read what it held. */
  restoreResult(saved: readonly number[]): void {
    const words = this.#wordsNow();
    const start = this.#resultPtr >>> 2;
    for (let i = 0; i < saved.length; i++) words[start + i] = saved[i]!;
  }

  /** A view of the first `len` bytes of the scratch area (made anew: the memory may have grown). */
  scratch(len: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, this.exports.scratch_ptr() >>> 0, len);
  }

  /** Copies `bytes` to the scratch area (the decoders' input); returns how many were copied. */
  toScratch(bytes: Uint8Array): number {
    const ptr = this.exports.scratch_ptr() >>> 0;
    const size = Math.min(bytes.length, this.exports.scratch_size() >>> 0);
    new Uint8Array(this.exports.memory.buffer, ptr, size).set(bytes.subarray(0, size));
    return size;
  }
}

/** Result area offsets (assembly/result.ts). */
export const RESULT = {
  cgroupid: 0, id: 8, mask: 16, pid: 20, tgid: 24, ppid: 28,
  ruid: 32, rgid: 36, euid: 40, egid: 44, suid: 48, sgid: 52, fsuid: 56, fsgid: 60,
  exitStatus: 64, coredumpMask: 68, coredumpSignal: 72, supportedMask: 76,
  nspidDepth: 80, nspidInner: 84, pos: 88,
} as const;

/**
 * Instantiates `module` (build/pidfd.wasm, compiled) against `sys` for the architecture `arch`
 * (an ARCH_CODES value): checks abi_version() and calls init(arch). Each core has its own memory
 * and support cache.
 */
export function instantiateCore(module: WasmModule, sys: Syscalls, arch: number): Core {
  let exports: CoreExports | undefined;
  const imports = createHostImports(() => exports!.memory, sys, (request) => exports!.ioctl_size(request));
  const instance = new WebAssembly.Instance(module as WebAssembly.Module, { pidfd_host: imports as unknown as WebAssembly.ModuleImports });
  exports = instance.exports as unknown as CoreExports;
  return startCore(exports, imports, sys, arch);
}

/** Checks a new instance's ABI version, calls init(arch), attaches the backend: the Core. */
export function startCore(exports: CoreExports, imports: HostImports, sys: Syscalls, arch: number): Core {
  if (exports.abi_version() !== ABI_VERSION) {
    throw new Error(`pidfd: core ABI ${exports.abi_version()}, host ABI ${ABI_VERSION}`);
  }
  if (exports.init(arch) !== 0) throw new Error(`pidfd: the core does not know architecture code ${arch}`);
  sys.attach?.(exports, arch);
  return new Core(exports, imports, sys);
}
