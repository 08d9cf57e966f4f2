// Loads the WebAssembly core (build/pidfd.wasm) in Node: reads and compiles the file, checks the
// machine, offers as-bind as a loader. The runtime-neutral part (Core, startCore) is instance.ts.
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import { createHostImports } from "./imports.js";
import { ARCH_CODES, instantiateCore, startCore, type CoreExports, type Core } from "./instance.js";
import type { Syscalls } from "./sys/syscalls.js";
import { invalidArg } from "./errors.js";
import { checkOptions, ownValue } from "./validate.js";
import type { WasmModule } from "./wasm_types.js";

export { ABI_VERSION, ARCH_CODES, Core, RESULT, instantiateCore, startCore } from "./instance.js";
export type { CoreExports } from "./instance.js";

/** Where the built core is, next to the compiled host. */
export const CORE_WASM_URL = new URL("../../build/pidfd.wasm", import.meta.url);

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
export function coreModule(): WasmModule {
  return compiled ??= new WebAssembly.Module(coreBytes());
}

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

  if (options.loader !== "as-bind") return instantiateCore(coreModule(), sys, arch);
  let raw: CoreExports | undefined;
  const imports = createHostImports(() => raw!.memory, sys, (request) => raw!.ioctl_size(request));
  const instance = asBind().instantiateSync(coreBytes(), { pidfd_host: imports });
  raw = instance.loadedModule.instance.exports as unknown as CoreExports;
  // as-bind's bound exports, plus the memory from the instance underneath.
  const exports = { ...instance.exports, memory: raw.memory } as unknown as CoreExports;
  return startCore(exports, imports, sys, arch);
}
