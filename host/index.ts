// The public API of the pidfd package, for programs that control processes. Embedders of the
// core import "pidfd/embed"; tests of embeddings import "pidfd/testing".
/// <reference types="node" preserve="true" />
export { PidFd, writePidfile } from "./pidfd.js";
export type {
  KilledProcess, KillOptions, KillTreeOptions, NamespaceType, OpenOptions, PidfileOptions, ProcessTree, ProcessTreeNode, Reaping,
  SendSignalOptions, SignalScope, SocketPeer, TerminateOptions, WaitOptions,
} from "./pidfd.js";
export { readPidfile } from "./identity.js";
export type { PidfileContents } from "./identity.js";
export { NAMESPACE_TYPES, REAP_GRACE_MS } from "./pidfd.js";
export type { CoredumpInfo, Credentials, PidFdInfo } from "./info.js";
export { ExitStatus } from "./exit_status.js";
export type { ContinuedStatus, ExitedStatus, ExitKind, ExitStatusCommon, ExitStatusJSON, SignaledStatus, StoppedStatus } from "./exit_status.js";
export { PidFdError, errnoName, errnoMessage } from "./errors.js";
export type { PidFdErrorCode } from "./errors.js";
export { signalNumber, signalName } from "./signals.js";
export type { Signal } from "./signals.js";
export { spawn } from "./spawn.js";
export type { SpawnOptions, StdioOption, Subprocess } from "./spawn.js";
