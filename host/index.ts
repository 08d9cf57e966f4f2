// The public API of the pidfd package.
export { PidFd } from "./pidfd.js";
export type { NamespaceType, OpenOptions, Reaping, SignalScope, TerminateOptions, WaitOptions } from "./pidfd.js";
export { NAMESPACE_TYPES, REAP_GRACE_MS } from "./pidfd.js";
export type { Credentials, PidFdInfo } from "./info.js";
export { ExitStatus } from "./exit_status.js";
export type { ExitKind } from "./exit_status.js";
export { PidFdError, errnoName, errnoMessage } from "./errors.js";
export { signalNumber, signalName } from "./signals.js";
export {
  ioc, io, ior, iow, iowr, IOC_NONE, IOC_READ, IOC_WRITE, namespaceRequest, pidfdGetInfoRequest,
  decodePidfdInfo, decodeSiginfo, decodeWaitStatus, waitStatusFromChildCode, parseFdinfo, parseFdinfoCommon,
} from "./decoders.js";
export type { FdinfoCommon, FdinfoPid } from "./decoders.js";
export { loadCore, Core, coreModule, CORE_WASM_URL, ABI_VERSION } from "./core.js";
export type { CoreExports, CoreLoader, LoadCoreOptions } from "./core.js";
export type { FileAction, PollHandle, ProcessSyscalls, RequestCodes, SpawnRequest, Syscalls } from "./sys/syscalls.js";
export { koffiSyscalls } from "./sys/koffi.js";
export { spawn, spawnOn } from "./spawn.js";
export type { SpawnOptions, StdioOption, Subprocess } from "./spawn.js";
export { SimulatedKernel, KERNEL_LEVELS, SINCE, kernelVersion } from "./sys/simulated.js";
export type { KernelLevel, SimProcess, SimFile, SimulatedKernelOptions, SpawnOptions as SimSpawnOptions, ExitHow } from "./sys/simulated.js";
export { traceSyscalls, requestNames } from "./sys/trace.js";
export type { TracedSyscalls, SyscallRecord, TraceOptions } from "./sys/trace.js";
export { PolicySyscalls, procParentOf } from "./sys/policy.js";
export type { CapabilityPolicy, PidRule, SpawnQuery } from "./sys/policy.js";
