// "pidfd/portable": the part of the package that runs in any JavaScript runtime (Deno, Bun, a
// worker): loading the core against a Syscalls backend of one's own (the bounds-checked import
// object, startCore's ABI check and init()), reading the result area as PidFdInfo, Credentials
// and ExitStatus, PidFdError for a -errno, signal names, the tracing backend (PIDFD_TRACE's
// format), and the constants. No module behind it imports a Node API or koffi;
// examples/deno/host.ts is a host built on it (docs/abi.md, "Writing a host").
export { ABI_VERSION, ARCH_CODES, Core, RESULT, instantiateCore, startCore } from "./instance.js";
export type { CoreExports } from "./instance.js";
export { createHostImports, HOST_IMPORT_NAMES } from "./imports.js";
export type { HostImports } from "./imports.js";
export type { FileAction, PollHandle, ProcessSyscalls, RequestCodes, SpawnRequest, Syscalls } from "./sys/syscalls.js";
export { noSyscalls, noProcessSyscalls } from "./sys/syscalls.js";
export type { WasmMemory, WasmModule } from "./wasm_types.js";
export { PIDFD_INFO_ALL, readCreds, readExit, readInfo } from "./info.js";
export type { Credentials, PidFdInfo } from "./info.js";
export { ExitStatus, decodeStatus, endStatus, setStatusDecoder } from "./exit_status.js";
export type { ContinuedStatus, ExitedStatus, ExitKind, ExitStatusCommon, ExitStatusJSON, SignaledStatus, StoppedStatus } from "./exit_status.js";
export { PidFdError, errnoName, errnoMessage, fail, failureMessage } from "./errors.js";
export type { PidFdErrorCode, PidFdErrorDetails } from "./errors.js";
export { SIGNALS, SIGNAL_MAX, signalName, signalNumber } from "./signals.js";
export type { Signal, SignalName } from "./signals.js";
export * from "./constants.js";
export * as errno from "./errno.js";
export { traceSyscalls, requestNames } from "./sys/trace.js";
export type { SyscallRecord, TracedSyscalls, TraceOptions } from "./sys/trace.js";
