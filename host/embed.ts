// "pidfd/embed": for programs that host the core themselves or make their own syscalls: loading
// the core on a backend of their choice (loadCore; as-bind as an optional loader), the backends,
// spawn() through a given core, and the core's decoders and request codes.
/// <reference types="node" preserve="true" />
export { loadCore, Core, coreModule, CORE_WASM_URL, ABI_VERSION, ARCH_CODES } from "./core.js";
export type { CoreExports, CoreLoader, LoadCoreOptions } from "./core.js";
export type { WasmMemory, WasmModule } from "./wasm_types.js";
export type { FileAction, PollHandle, ProcessSyscalls, RequestCodes, SpawnRequest, Syscalls } from "./sys/syscalls.js";
export { noSyscalls, noProcessSyscalls } from "./sys/syscalls.js";
export { koffiSyscalls } from "./sys/koffi.js";
export { spawnOn } from "./spawn.js";
export {
  ioc, io, ior, iow, iowr, IOC_NONE, IOC_READ, IOC_WRITE, namespaceRequest, pidfdGetInfoRequest,
  decodePidfdInfo, decodeSiginfo, decodeWaitStatus, waitStatusFromChildCode, parseFdinfo, parseFdinfoCommon,
} from "./decoders.js";
export type { FdinfoCommon, FdinfoPid } from "./decoders.js";
