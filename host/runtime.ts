// The cores the public API uses by default: one on the real kernel (loaded on first use), and
// one with no syscalls at all for the pure decoders.
import { loadCore, type Core } from "./core.js";
import { setStatusDecoder } from "./exit_status.js";
import { koffiSyscalls } from "./sys/koffi.js";
import { noSyscalls } from "./sys/syscalls.js";
import { traceSyscalls } from "./sys/trace.js";

let kernel: Core | undefined;
let decoders: Core | undefined;

/** The core on the real kernel through koffi, loaded on first use; traced to stderr when PIDFD_TRACE=1. */
export function kernelCore(): Core {
  return kernel ??= loadCore(process.env.PIDFD_TRACE === "1"
    ? traceSyscalls(koffiSyscalls(), { log: (line) => process.stderr.write(`${line}\n`) })
    : koffiSyscalls());
}

/** The core used by decoders that make no syscalls (ExitStatus.fromRaw, decodePidfdInfo, ...). */
export function decoderCore(): Core {
  return decoders ??= loadCore(noSyscalls);
}

setStatusDecoder(decoderCore);
