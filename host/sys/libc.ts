// koffi and libc, loaded on first use only: importing a backend does not load koffi's native
// module, so the decoders, the simulated kernel and embedders work where its binary is missing.
// Each libc function is bound on its first call (libcFunction): a libc that lacks one (an older
// glibc, musl) fails only the operations that need it, with a PidFdError naming it. In a worker,
// all of a backend's functions are bound at once instead (BIND_AT_ONCE).
import fs from "node:fs";
import { createRequire } from "node:module";
import { isMainThread } from "node:worker_threads";
import { ENOSYS } from "../errno.js";
import { PidFdError } from "../errors.js";

export type Koffi = typeof import("koffi");

/**
 * In a worker, a backend binds every C function it may call when it is made (at the thread's
 * first PidFd), not each on its first call: a terminate() that lands while koffi binds a function
 * aborts the whole process (koffi#190, https://github.com/Koromix/koffi/issues/190), and a bind
 * on first call could come at any point of the worker's life (the first spawn(), the first exit
 * its epoll set reports).
 */
export const BIND_AT_ONCE = !isMainThread;

let koffiModule: Koffi | undefined;
let libcLibrary: ReturnType<Koffi["load"]> | undefined;

/** The koffi module, loaded on the first call: its prebuilt binary itself where it can be (koffiBinary). */
export function koffi(): Koffi {
  return koffiModule ??= koffiBinary() ?? createRequire(import.meta.url)("koffi") as Koffi;
}

/** glibc's libc in /proc/self/maps: libc.so.6 (glibc 2.34+), libc-2.<n>.so before. */
export const GLIBC_MAPPED = /\/libc(?:\.so\.6|-2\.\d+\.so)$/m;

/** The version of koffi that package.json pins, which its native module must report to be used directly. */
export const KOFFI_VERSION = "3.3.4";

/**
 * koffi's native module, loaded straight from its prebuilt package, where koffi's own loader
 * finds it (`@koromix/koffi-linux-<arch>/linux_<arch>/koffi.node`, beside koffi's package: its
 * optional dependency, with npm's flat node_modules and pnpm's alike), for glibc on x64 and
 * arm64 (glibc's libc is in /proc/self/maps: GLIBC_MAPPED; musl has binaries of its own). Its
 * exports are koffi's API (koffi's JavaScript adds only deprecated aliases), and the loader costs
 * 4 to 6 ms of every start (its modules, two ELF header reads to tell glibc from musl, the
 * package-exports resolution). The file is looked for with a stat per node_modules directory,
 * not require.resolve() (0.8 ms). Undefined elsewhere, or when the file is missing or reports
 * another version than KOFFI_VERSION: then `require("koffi")` loads it as usual.
 */
function koffiBinary(): Koffi | undefined {
  const { platform, arch } = process;
  if (platform !== "linux" || (arch !== "x64" && arch !== "arm64")) return undefined;
  try {
    // utf8 (one native call): a path that is not UTF-8 gets U+FFFD, and only the file name is tested
    if (!GLIBC_MAPPED.test(fs.readFileSync("/proc/self/maps", "utf8"))) return undefined;
    const require = createRequire(import.meta.url);
    for (const modules of require.resolve.paths("koffi") ?? []) {
      const koffiPackage = `${modules}/koffi`;
      if (!fs.existsSync(`${koffiPackage}/package.json`)) continue;
      const binary = `${fs.realpathSync(koffiPackage)}/../@koromix/koffi-linux-${arch}/linux_${arch}/koffi.node`;
      const native = require(binary) as Koffi;
      return native.version === KOFFI_VERSION ? native : undefined;
    }
  } catch {
    // no such file, or it would not load: koffi's own loader says why
  }
  return undefined;
}

/** libc, loaded through koffi on the first call. */
export function libc(): ReturnType<Koffi["load"]> {
  return libcLibrary ??= koffi().load("libc.so.6");
}

/**
 * Finds a libc function from its C prototype ("int pipe2(void *fds, int flags)"): the bound
 * function, or undefined when the C library has no such symbol. Tests pass one that hides some
 * symbols, to play an older glibc or musl.
 */
export type SymbolLookup = (prototype: string) => unknown;

/** The C library's own symbols, through koffi. */
export const libcSymbols: SymbolLookup = (prototype) => {
  try {
    return libc().func(prototype);
  } catch (error) {
    if (/Cannot find function/.test(String(error))) return undefined;
    throw error;
  }
};

/** The function name of a C prototype: "pipe2" of "int pipe2(void *fds, int flags)". */
export function functionName(prototype: string): string {
  return /(\w+)\s*\(/.exec(prototype)?.[1] ?? prototype;
}

/**
 * The PidFdError of a libc without `name`, which glibc `glibc` added ("" for a function every
 * glibc has: POSIX's oldest, missing only from a stripped-down C library).
 */
export function missingFunction(name: string, glibc: string, errno = ENOSYS, use?: string): PidFdError {
  return new PidFdError({
    errno, syscall: name,
    detail: `the C library has no ${name}${use ? `, which ${use} needs` : ""} (${glibc ? `glibc ${glibc} added it` : "every glibc has it"})`,
  });
}

/**
 * The libc function of `prototype`, looked up on its first call (and never again; in a worker, at
 * once: BIND_AT_ONCE). Where the C library lacks it, every call throws a PidFdError ENOSYS naming
 * the function and the glibc version that added it (`glibc`). The function returned takes the prototype's own number of
 * arguments: rest parameters and a spread call cost about a microsecond per call until V8
 * optimizes the caller, thousands of calls later.
 */
export function libcFunction<F extends (...args: never[]) => unknown>(lookup: SymbolLookup, prototype: string, glibc: string): F {
  type Bound = (...args: unknown[]) => unknown;
  let bound: Bound | undefined;
  const bind = (): Bound => bound ??= (lookup(prototype) as Bound | undefined) ?? (() => {
    throw missingFunction(functionName(prototype), glibc);
  });
  if (BIND_AT_ONCE) bind();
  let call: Bound;
  switch (parameterCount(prototype)) {
    case 0: call = () => (bound ?? bind())(); break;
    case 1: call = (a) => (bound ?? bind())(a); break;
    case 2: call = (a, b) => (bound ?? bind())(a, b); break;
    case 3: call = (a, b, c) => (bound ?? bind())(a, b, c); break;
    case 4: call = (a, b, c, d) => (bound ?? bind())(a, b, c, d); break;
    case 5: call = (a, b, c, d, e) => (bound ?? bind())(a, b, c, d, e); break;
    case 6: call = (a, b, c, d, e, f) => (bound ?? bind())(a, b, c, d, e, f); break;
    default: call = (...args) => (bound ?? bind())(...args);
  }
  return call as unknown as F;
}

/** How many parameters a C prototype declares; -1 for a variadic one. */
function parameterCount(prototype: string): number {
  const list = prototype.slice(prototype.indexOf("(") + 1, prototype.lastIndexOf(")")).trim();
  if (list.includes("...")) return -1;
  return list === "" || list === "void" ? 0 : list.split(",").length;
}
