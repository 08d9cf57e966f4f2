// koffi and libc, loaded on first use only: importing a backend does not load koffi's native
// module, so the decoders, the simulated kernel and embedders work where its binary is missing.
import { createRequire } from "node:module";

export type Koffi = typeof import("koffi");

let koffiModule: Koffi | undefined;
let libcLibrary: ReturnType<Koffi["load"]> | undefined;

/** The koffi module, loaded on the first call. */
export function koffi(): Koffi {
  return koffiModule ??= createRequire(import.meta.url)("koffi") as Koffi;
}

/** libc, loaded through koffi on the first call. */
export function libc(): ReturnType<Koffi["load"]> {
  return libcLibrary ??= koffi().load("libc.so.6");
}
