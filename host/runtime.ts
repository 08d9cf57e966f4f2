// The cores the public API uses by default: one on the real kernel (loaded on first use), and
// one with no syscalls at all for the pure decoders.
import { ARCH_CODES, loadCore, type Core } from "./core.js";
import { koffiSyscalls } from "./sys/koffi.js";
import { noSyscalls, type Syscalls } from "./sys/syscalls.js";
import { requestNames, traceSyscalls } from "./sys/trace.js";

let kernelCore: Core | undefined;
let decoderCore: Core | undefined;

/** The core on the real kernel through koffi, loaded on first use; traced to stderr when PIDFD_TRACE=1. */
export function kernel(): Core {
  return kernelCore ??= loadCore(process.env.PIDFD_TRACE === "1" ? tracedKernel() : koffiSyscalls());
}

/** The core used by decoders that make no syscalls (ExitStatus.fromRaw, decodePidfdInfo, ...). */
export function decoders(): Core {
  return decoderCore ??= loadCore(noSyscalls);
}

function tracedKernel(): Syscalls {
  let names: ((request: number) => string | undefined) | undefined;
  return traceSyscalls(koffiSyscalls(), {
    log: (line) => process.stderr.write(`${line}\n`),
    requestName: (request) => (names ??= requestNames(decoders().exports, ARCH_CODES[process.arch] ?? 1))(request),
  });
}
