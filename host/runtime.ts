// The cores the public API uses by default: one on the real kernel (loaded on first use), and
// one with no syscalls at all for the pure decoders.
import { loadCore, type Core } from "./core.js";
import { koffiSyscalls } from "./sys/koffi.js";
import { noSyscalls } from "./sys/syscalls.js";

let kernelCore: Core | undefined;
let decoderCore: Core | undefined;

/** The core on the real kernel through koffi, loaded on first use. */
export function kernel(): Core {
  return kernelCore ??= loadCore(koffiSyscalls());
}

/** The core used by decoders that make no syscalls (ExitStatus.fromRaw, decodePidfdInfo, ...). */
export function decoders(): Core {
  return decoderCore ??= loadCore(noSyscalls);
}
