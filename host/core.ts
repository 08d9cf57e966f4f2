// Loads the WebAssembly core (build/pidfd.wasm) against a Syscalls backend and gives typed
// access to its exports and its result area.
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import { createHostImports, type HostImports } from "./imports.js";
import { noProcessSyscalls, type ProcessSyscalls, type Syscalls } from "./sys/syscalls.js";
import { invalidArg } from "./errors.js";
import { checkOptions, ownValue } from "./validate.js";

/** The ABI version this host speaks (assembly/index.ts ABI_VERSION). */
export const ABI_VERSION = 1;

/** Where the built core is, next to the compiled host. */
export const CORE_WASM_URL = new URL("../../build/pidfd.wasm", import.meta.url);

/** The core's exports (docs/abi.md). Numbers in, numbers out; u32 results arrive signed. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  abi_version(): number;
  init(arch: number): number;
  result_ptr(): number;
  result_size(): number;
  scratch_ptr(): number;
  scratch_size(): number;
  open(pid: number, options: number): number;
  send_signal(fd: number, sig: number, scope: number): number;
  get_info(fd: number, mask: number): number;
  get_pid(fd: number): number;
  get_ppid(fd: number): number;
  get_id(fd: number): number;
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
  namespace_clone_flag(type: number): number;
}

/** The architecture codes of init() (assembly/arch.ts), by Node's `process.arch`. */
export const ARCH_CODES: Readonly<Record<string, number>> = {
  x64: 1, arm64: 2, riscv64: 3, ppc64: 4, mips64el: 5, s390x: 6, loong64: 7,
  sparc64: 8, alpha: 9, ia32: 10, arm: 11, ppc: 12, mips: 13, mipsel: 13,
};

interface AsBind {
  instantiateSync(bytes: Uint8Array, imports: object): AsBindInstance;
}

/**
 * as-bind's runtime (its package's main entry is the compiler transform), loaded only for
 * `loader: "as-bind"`: it is an optional peer dependency.
 */
function asBind(): AsBind {
  try {
    return createRequire(import.meta.url)("as-bind/dist/as-bind.cjs.js") as AsBind;
  } catch (cause) {
    const error = new Error('loader "as-bind" needs the optional package as-bind: npm install as-bind@0.8.2', { cause });
    Object.defineProperty(error, "code", { value: "ERR_PIDFD_AS_BIND_MISSING", enumerable: true });
    throw error;
  }
}

/** How to instantiate: plain WebAssembly (the default: fastest), or through as-bind. */
export type CoreLoader = "raw" | "as-bind";

export interface LoadCoreOptions {
  /** Default "raw". "as-bind" wraps every import and export (docs/architecture.md: about +80 ns a call). */
  loader?: CoreLoader;
  /** The architecture whose kernel ABI the core speaks; default `process.arch`. */
  arch?: string;
}

let bytes: Uint8Array | undefined;
let compiled: WebAssembly.Module | undefined;

/** The bytes of build/pidfd.wasm (read once per process). */
export function coreBytes(): Uint8Array {
  return bytes ??= fs.readFileSync(CORE_WASM_URL);
}

/** The compiled core module (compiled once per process). */
export function coreModule(): WebAssembly.Module {
  return compiled ??= new WebAssembly.Module(coreBytes());
}

/** A loaded core: its exports, readers of its result area, and the backend's process half. */
export class Core {
  readonly exports: CoreExports;
  readonly imports: HostImports;
  readonly sys: Syscalls;
  /** spawn(), pipes and epoll of this core's backend (`sys.processSyscalls`), or calls that answer ENOSYS. */
  readonly process: ProcessSyscalls;
  readonly #resultPtr: number;
  #view: DataView;

  constructor(exports: CoreExports, imports: HostImports, sys: Syscalls) {
    this.exports = exports;
    this.imports = imports;
    this.sys = sys;
    this.process = sys.processSyscalls ?? noProcessSyscalls;
    this.#resultPtr = exports.result_ptr() >>> 0;
    this.#view = new DataView(exports.memory.buffer);
  }

  /** close(2) through the backend, for the fds the core's exports created: 0 or -errno. */
  close(fd: number): number {
    return this.sys.close(fd);
  }

  /** Whether the backend's fds are not this process's own (a simulated kernel): they cannot be polled. */
  get simulated(): boolean {
    return this.sys.simulated === true;
  }

  /** A DataView of the whole memory, renewed if the memory has grown since. */
  get view(): DataView {
    if (this.#view.byteLength === 0) this.#view = new DataView(this.exports.memory.buffer);
    return this.#view;
  }

  /** An i32 of the result area at `offset`. */
  i32(offset: number): number {
    return this.view.getInt32(this.#resultPtr + offset, true);
  }

  /** A u32 of the result area at `offset`. */
  u32(offset: number): number {
    return this.view.getUint32(this.#resultPtr + offset, true);
  }

  /** A u64 of the result area at `offset`. */
  u64(offset: number): bigint {
    return this.view.getBigUint64(this.#resultPtr + offset, true);
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

interface AsBindInstance {
  exports: Record<string, unknown>;
  loadedModule: { instance: WebAssembly.Instance };
}

/** Instantiates a new core against `sys`. Each core has its own memory and support cache. */
export function loadCore(sys: Syscalls, options: LoadCoreOptions = {}): Core {
  checkOptions("options", options, { loader: "checked", arch: "string" });
  if (options.loader !== undefined && options.loader !== "raw" && options.loader !== "as-bind") {
    throw invalidArg("options.loader", '"raw" or "as-bind"', options.loader, "ERR_INVALID_ARG_VALUE");
  }
  if (os.endianness() !== "LE") {
    throw new Error("pidfd: the core's ABI covers little-endian hosts only (docs/abi.md)");
  }
  const archName = options.arch ?? process.arch;
  const arch = ownValue(ARCH_CODES, archName);
  if (arch === undefined) throw new Error(`pidfd: unsupported architecture ${archName}`);

  let memory: WebAssembly.Memory | undefined;
  const imports = createHostImports(() => memory!, sys);
  let exports: CoreExports;
  if (options.loader === "as-bind") {
    const instance = asBind().instantiateSync(coreBytes(), { pidfd_host: imports });
    // as-bind's bound exports, plus the memory from the instance underneath.
    exports = { ...instance.exports, memory: instance.loadedModule.instance.exports.memory } as unknown as CoreExports;
  } else {
    const instance = new WebAssembly.Instance(coreModule(), { pidfd_host: imports as unknown as WebAssembly.ModuleImports });
    exports = instance.exports as unknown as CoreExports;
  }
  memory = exports.memory;
  if (exports.abi_version() !== ABI_VERSION) {
    throw new Error(`pidfd: core ABI ${exports.abi_version()}, host ABI ${ABI_VERSION}`);
  }
  if (exports.init(arch) !== 0) throw new Error(`pidfd: the core does not know architecture ${archName}`);
  sys.attach?.(exports, arch);
  return new Core(exports, imports, sys);
}
