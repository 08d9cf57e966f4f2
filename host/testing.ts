// "pidfd/testing": doubles and wrappers for testing an embedding: a simulated kernel at a chosen
// version, a tracing backend, and a capability-policy backend.
/// <reference types="node" preserve="true" />
export { SimulatedKernel, KERNEL_LEVELS, SINCE, kernelVersion } from "./sys/simulated.js";
export type { KernelLevel, SimProcess, SimFile, SimSiginfo, SimulatedKernelOptions, SimSpawnOptions, ExitHow } from "./sys/simulated.js";
export { traceSyscalls, requestNames } from "./sys/trace.js";
export type { TracedSyscalls, SyscallRecord, TraceOptions } from "./sys/trace.js";
export { PolicySyscalls, procParentOf } from "./sys/policy.js";
export type { CapabilityPolicy, PidRule, SpawnQuery } from "./sys/policy.js";
