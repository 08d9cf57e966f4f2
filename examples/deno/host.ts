// The pidfd core hosted by Deno: its own FFI (libc_syscalls.ts), Deno's permission sandbox, and
// "pidfd/portable", the runtime-neutral part of the package that the Node host is built on too:
// the bounds-checked import object, the Core and its result area decoded as PidFdInfo and
// ExitStatus, PidFdError for a -errno, the PIDFD_TRACE-format tracer.
//
//   deno run --no-prompt --allow-read=build/pidfd.wasm --allow-ffi examples/deno/host.ts PID [--trace]
//
// Prints one JSON line: what the core says about PID (a process the caller started), and what it
// says about two children this host spawns itself (one waited for blocking, then signalled after
// its reap; one waited for with waitAsync while the event loop stays free). --trace logs every
// syscall to stderr.
import {
  ARCH_CODES, decodeStatus, fail, instantiateCore, NAMESPACE_TYPES, PIDFD_INFO_ALL, PidFdError, readInfo, RESULT,
  SIGNAL_SCOPE_DEFAULT, SIGNALS, traceSyscalls, WEXITED, WNOHANG, errno, type Core, type ExitStatus, type Syscalls,
} from "pidfd/portable";
import { fdLink, libcSyscalls, readable, spawn } from "./libc_syscalls.ts";

/** `rc` when >= 0; else the PidFdError the Node host throws for it. */
function ok(rc: number, syscall: string, detail?: string, pid?: number): number {
  return rc < 0 ? fail(rc, syscall, detail, pid) : rc;
}

/** The core's architecture code for Deno's `Deno.build.arch`. */
function archCode(): number {
  const code = { x86_64: ARCH_CODES.x64, aarch64: ARCH_CODES.arm64 }[Deno.build.arch];
  if (code === undefined) throw new Error(`no syscall numbers for ${Deno.build.arch} in this host`);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("the core's ABI covers little-endian hosts only");
  return code;
}

/** Loads the package's build/pidfd.wasm (the one file this host may read) against `sys`. */
async function loadDenoCore(sys: Syscalls): Promise<Core> {
  const bytes = await Deno.readFile(new URL(import.meta.resolve("pidfd/core.wasm")));
  return instantiateCore(new WebAssembly.Module(bytes), sys, archCode());
}

/** Waits for the exit of the child behind `fd` without blocking the event loop. */
async function waitAsync(core: Core, fd: number): Promise<ExitStatus> {
  for (;;) {
    const rc = core.exports.wait(fd, WEXITED | WNOHANG);
    if (rc !== -errno.EAGAIN) return decodeStatus(core, ok(rc, "waitid"));
    await readable(fd);
  }
}

/** Spawns `argv` and opens its pidfd before anything can reap it (only this process can): [pid, pidfd]. */
function spawnWithPidfd(core: Core, argv: string[]): [number, number] {
  const pid = ok(spawn(argv), "posix_spawnp", argv[0]);
  return [pid, ok(core.exports.open(pid, 0), "pidfd_open", `pid ${pid}`, pid)];
}

/** A PidFdError as the fields Node's SystemError shape has. */
function errorFields(error: unknown) {
  if (!(error instanceof PidFdError)) throw error;
  return { name: error.name, code: error.code, errno: error.errno, syscall: error.syscall, message: error.message };
}

async function main(): Promise<void> {
  const pid = Number(Deno.args[0]);
  const tracing = Deno.args.includes("--trace");
  const log = (line: string) => console.error(line);
  const core = await loadDenoCore(tracing ? traceSyscalls(libcSyscalls, { log }) : libcSyscalls);
  const x = core.exports;

  const fd = ok(x.open(pid, 0), "pidfd_open", `pid ${pid}`, pid);
  if (tracing) log("-- get_info");
  const info = readInfo(core, ok(x.get_info(fd, PIDFD_INFO_ALL), "ioctl", "PIDFD_GET_INFO", pid));
  if (tracing) log("-- end of get_info");
  ok(x.get_id(fd), "name_to_handle_at");
  const id = core.resultU64(RESULT.id);
  const namespaces: Record<string, string> = {};
  for (const [name, type] of Object.entries(NAMESPACE_TYPES)) {
    const nsfd = ok(x.get_namespace(fd, type), "ioctl", `PIDFD_GET_${name.toUpperCase()}_NAMESPACE`, pid);
    namespaces[name] = fdLink(nsfd);
    libcSyscalls.close(nsfd); // the host's fd: closed with its own close(2)
  }
  const result = {
    getPid: x.get_pid(fd), getPpid: x.get_ppid(fd), info, id, namespaces,
    signal0: x.send_signal(fd, 0, SIGNAL_SCOPE_DEFAULT), isPidfd: x.is_pidfd(fd),
  };
  libcSyscalls.close(fd);

  const [, exiting] = spawnWithPidfd(core, ["sh", "-c", "exit 7"]);
  const waited = decodeStatus(core, ok(x.wait(exiting, WEXITED), "waitid")); // blocks; reaps
  let afterReap: ReturnType<typeof errorFields> | null = null;
  try {
    ok(x.send_signal(exiting, 0, SIGNAL_SCOPE_DEFAULT), "pidfd_send_signal", "signal 0");
  } catch (error) {
    afterReap = errorFields(error);
  }
  libcSyscalls.close(exiting);

  const [, sleeper] = spawnWithPidfd(core, ["sleep", "1000"]);
  let ticks = 0;
  const tick = setInterval(() => ticks++, 0); // runs only while the event loop is free
  const pending = waitAsync(core, sleeper);
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the loop turn once while waitAsync waits
  ok(x.send_signal(sleeper, SIGNALS.SIGTERM, SIGNAL_SCOPE_DEFAULT), "pidfd_send_signal", "signal SIGTERM");
  const asyncStatus = await pending;
  clearInterval(tick);
  libcSyscalls.close(sleeper);

  const report = { ...result, wait: waited, signalAfterReap: afterReap, waitAsync: { status: asyncStatus, loopRan: ticks > 0 } };
  console.log(JSON.stringify(report, (_, value) => typeof value === "bigint" ? String(value) : value));
}

await main();
