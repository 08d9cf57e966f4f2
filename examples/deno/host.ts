// The pidfd core hosted by Deno: its own FFI (libc_syscalls.ts), Deno's permission sandbox, and
// the runtime-neutral part of the package (dist/host/instance.js: the Core and its result-area
// readers; dist/host/imports.js: the bounds-checked import object), shared with the Node host.
//
//   deno run --no-prompt --allow-read=build/pidfd.wasm --allow-ffi examples/deno/host.ts PID [--trace]
//
// Prints one JSON line: what the core says about PID (a process the caller started), and the
// exit statuses of two children this host spawns itself (one waited for blocking, one with
// waitAsync while the event loop stays free). --trace logs every syscall to stderr.
import { ARCH_CODES, instantiateCore, RESULT, type Core } from "../../dist/host/instance.js";
import {
  NAMESPACE_TYPES, PIDFD_INFO_CGROUPID, PIDFD_INFO_CREDS, PIDFD_INFO_PID, SIGNAL_SCOPE_DEFAULT, WEXITED, WNOHANG,
} from "../../dist/host/constants.js";
import type { Syscalls } from "../../dist/host/sys/syscalls.js";
import { fdLink, libcSyscalls, readable, spawn } from "./libc_syscalls.ts";

const EAGAIN = 11, SIGTERM = 15;

/** Thrown for a negative export result. */
class ErrnoError extends Error {
  constructor(readonly call: string, readonly errno: number) {
    super(`${call}: errno ${errno}`);
  }
}

/** `rc` when >= 0; else an ErrnoError naming `call`. */
function ok(rc: number, call: string): number {
  if (rc < 0) throw new ErrnoError(call, -rc);
  return rc;
}

/** `sys` with every call logged as `pidfd: name(args) = rc` (the format of PIDFD_TRACE=1). */
function traced(sys: Syscalls, log: (line: string) => void): Syscalls {
  const show = (arg: unknown, hex: boolean): string =>
    arg === null ? "NULL" : arg instanceof Uint8Array ? `buf[${arg.length}]` : hex ? `0x${(arg as number).toString(16)}` : String(arg);
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(sys) as [string, (...args: unknown[]) => number][]) {
    wrapped[name] = (...args: unknown[]) => {
      const rc = fn(...args);
      log(`pidfd: ${name}(${args.map((arg, i) => show(arg, name === "ioctl" && i === 1)).join(", ")}) = ${rc}`);
      return rc;
    };
  }
  return wrapped as unknown as Syscalls;
}

/** The core's architecture code for Deno's `Deno.build.arch`. */
function archCode(): number {
  const code = { x86_64: ARCH_CODES.x64, aarch64: ARCH_CODES.arm64 }[Deno.build.arch];
  if (code === undefined) throw new Error(`no syscall numbers for ${Deno.build.arch} in this host`);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("the core's ABI covers little-endian hosts only");
  return code;
}

/** Loads build/pidfd.wasm (the one read this host is allowed) against libc. */
async function loadDenoCore(sys: Syscalls): Promise<Core> {
  const bytes = await Deno.readFile(new URL("../../build/pidfd.wasm", import.meta.url));
  return instantiateCore(new WebAssembly.Module(bytes), sys, archCode());
}

/** What the wait(2) status `raw` means, from the core's decode_status. */
function describeStatus(core: Core, raw: number) {
  const packed = core.exports.decode_status(raw);
  const kind = ["invalid", "exited", "signaled", "stopped", "continued"][(packed >> 8) & 7];
  return { raw, kind, value: packed & 0xff, coreDumped: (packed & 0x800) !== 0 };
}

/** Waits for the exit of the child behind `fd` without blocking the event loop: the wait(2) status. */
async function waitAsync(core: Core, fd: number): Promise<number> {
  for (;;) {
    const rc = core.exports.wait(fd, WEXITED | WNOHANG);
    if (rc !== -EAGAIN) return ok(rc, "wait");
    await readable(fd);
  }
}

/** Spawns `argv` and opens its pidfd before anything can reap it. */
function spawnWithPidfd(core: Core, argv: string[]): number {
  const pid = ok(spawn(argv), "posix_spawnp");
  return ok(core.exports.open(pid, 0), "open");
}

async function main(): Promise<void> {
  const pid = Number(Deno.args[0]);
  const log = (line: string) => console.error(line);
  const core = await loadDenoCore(Deno.args.includes("--trace") ? traced(libcSyscalls, log) : libcSyscalls);
  const x = core.exports;

  const fd = ok(x.open(pid, 0), "open");
  if (Deno.args.includes("--trace")) log("-- get_info");
  const mask = ok(x.get_info(fd, PIDFD_INFO_PID | PIDFD_INFO_CREDS | PIDFD_INFO_CGROUPID), "get_info");
  if (Deno.args.includes("--trace")) log("-- end of get_info");
  const creds = Object.fromEntries((["ruid", "rgid", "euid", "egid", "suid", "sgid", "fsuid", "fsgid"] as const)
    .map((field) => [field, core.resultU32(RESULT[field])]));
  const info = { mask, pid: core.resultI32(RESULT.pid), ppid: core.resultI32(RESULT.ppid), creds, cgroupId: String(core.resultU64(RESULT.cgroupid)) };
  ok(x.get_id(fd), "get_id");
  const id = String(core.resultU64(RESULT.id));
  const namespaces: Record<string, string> = {};
  for (const [name, type] of Object.entries(NAMESPACE_TYPES)) {
    const nsfd = x.get_namespace(fd, type);
    if (nsfd < 0) { namespaces[name] = `errno ${-nsfd}`; continue; }
    namespaces[name] = fdLink(nsfd);
    libcSyscalls.close(nsfd); // the host's fd: closed with its own close(2)
  }
  const signal0 = x.send_signal(fd, 0, SIGNAL_SCOPE_DEFAULT);
  const result = {
    getPid: x.get_pid(fd), getPpid: x.get_ppid(fd), info, id, namespaces, signal0, isPidfd: x.is_pidfd(fd),
  };
  libcSyscalls.close(fd);

  const exiting = spawnWithPidfd(core, ["sh", "-c", "exit 7"]);
  const waited = describeStatus(core, ok(x.wait(exiting, WEXITED), "wait")); // blocks; reaps
  libcSyscalls.close(exiting);

  const sleeper = spawnWithPidfd(core, ["sleep", "1000"]);
  let ticks = 0;
  const tick = setInterval(() => ticks++, 0); // runs only while the event loop is free
  const pending = waitAsync(core, sleeper);
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the loop turn once while waitAsync waits
  ok(x.send_signal(sleeper, SIGTERM, SIGNAL_SCOPE_DEFAULT), "send_signal");
  const asyncStatus = describeStatus(core, await pending);
  clearInterval(tick);
  libcSyscalls.close(sleeper);

  console.log(JSON.stringify({ ...result, wait: waited, waitAsync: { ...asyncStatus, loopRan: ticks > 0 } }));
}

await main();
