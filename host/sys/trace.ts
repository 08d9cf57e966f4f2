// A tracing wrapper for any Syscalls backend: records every call (for tests that count calls) and
// optionally logs it strace-style, with decoded flags and errno names. PIDFD_TRACE=1 makes
// runtime.ts wrap the real backend with it, logging to stderr.
import * as K from "../constants.js";
import { errnoName } from "../errors.js";
import { checkOptions } from "../validate.js";
import type { ProcessSyscalls, RequestCodes, SpawnRequest, Syscalls } from "./syscalls.js";

/** A traced call: a Syscalls method, or a ProcessSyscalls one (spawn, pipe, epollCtl, ...). */
export type SyscallName = Exclude<keyof Syscalls | keyof ProcessSyscalls, "simulated" | "processSyscalls">;

/** One recorded call: buffers are recorded by their length. */
export interface SyscallRecord {
  method: SyscallName;
  args: (number | string)[];
  result: number;
}

export interface TraceOptions {
  /** Receives one line per call, e.g. `ioctl(5, PIDFD_GET_INFO[80], buf[80]) = -25 ENOTTY`. */
  log?: (line: string) => void;
  /**
   * Names ioctl request codes (see `requestNames`); unnamed ones print in hex. Default: the
   * names of the PIDFS requests as the core that calls this backend builds them.
   */
  requestName?: (request: number) => string | undefined;
  /** Keep at most this many records (default 10000; the oldest go first). */
  limit?: number;
}

/** A traced backend: the backend's calls, plus the record of them. */
export interface TracedSyscalls extends Syscalls {
  /** The recorded calls, oldest first (optionally only one method's). */
  calls(method?: SyscallName): SyscallRecord[];
  /** How many calls were made (optionally of one method) since the last reset(). */
  count(method?: SyscallName): number;
  /** Calls per method since the last reset(). */
  counts(): Partial<Record<SyscallName, number>>;
  /** Forgets the record. */
  reset(): void;
}

/** [value, name] of the constants whose names start with one of `prefixes`. */
function named(...prefixes: string[]): [number, string][] {
  return Object.entries(K).filter(([name, value]) => typeof value === "number" && prefixes.some((p) => name.startsWith(p)))
    .map(([name, value]) => [(value as number) >>> 0, name]);
}

/** The names a trace prints for flags and codes, made for the first traced backend (not at load). */
let nameTables: ReturnType<typeof makeNameTables> | undefined;
function makeNameTables() {
  return {
    WAIT_FLAGS: named("W", "__W"),
    CLONE_NEW_FLAGS: named("CLONE_NEW"),
    AT_FLAGS: named("AT_"),
    ID_TYPES: new Map(named("P_")),
    EPOLL_OPS: new Map(named("EPOLL_CTL_")),
  };
}

function flagNames(value: number, table: readonly [number, string][]): string {
  let rest = value >>> 0;
  const names: string[] = [];
  for (const [bit, name] of table) {
    if ((rest & bit) >>> 0 === bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0 || names.length === 0) names.push(`0x${rest.toString(16)}`);
  return names.join("|");
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return JSON.stringify(new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)));
}

/**
 * The names of the PIDFS ioctl requests, as a core builds them for its architecture (the codes
 * come from the core: no request code is computed here).
 */
export function requestNames(exports: RequestCodes, arch: number): (request: number) => string | undefined {
  const names = new Map<number, string>();
  for (const [type, code] of Object.entries(K.NAMESPACE_TYPES)) {
    names.set(exports.namespace_request(arch, code) >>> 0, `PIDFD_GET_${type.toUpperCase()}_NAMESPACE`);
  }
  for (let size = 8; size <= 256; size += 8) names.set(exports.get_info_request(arch, size) >>> 0, `PIDFD_GET_INFO[${size}]`);
  return (request) => names.get(request >>> 0);
}

/** Wraps `backend`: every call goes through unchanged and is recorded (and logged if asked). */
export function traceSyscalls(backend: Syscalls, options: TraceOptions = {}): TracedSyscalls {
  checkOptions("options", options, { log: "function", requestName: "function", limit: "number" });
  const { WAIT_FLAGS, CLONE_NEW_FLAGS, AT_FLAGS, ID_TYPES, EPOLL_OPS } = nameTables ??= makeNameTables();
  const limit = options.limit ?? 10000;
  const log = options.log;
  let names = options.requestName;
  const request = (value: number): string => names?.(value) ?? `0x${(value >>> 0).toString(16)}`;
  let records: SyscallRecord[] = [];
  let counts: Partial<Record<SyscallName, number>> = {};

  function record(method: SyscallName, args: (number | string)[], shown: string[], result: number): number {
    counts[method] = (counts[method] ?? 0) + 1;
    records.push({ method, args, result });
    if (records.length > limit) records = records.slice(records.length - limit);
    if (log) {
      const outcome = result < 0 ? `${result} ${errnoName(-result)}` : String(result);
      log(`pidfd: ${method}(${shown.join(", ")}) = ${outcome}`);
    }
    return result;
  }

  const buf = (b: Uint8Array | null): string => (b ? `buf[${b.length}]` : "NULL");

  const traced: Syscalls = {
    pidfdOpen: (pid, flags) => record("pidfdOpen", [pid, flags], [String(pid), `0x${flags.toString(16)}`], backend.pidfdOpen(pid, flags)),
    pidfdSendSignal: (pidfd, sig, info, flags) =>
      record("pidfdSendSignal", [pidfd, sig, info ? info.length : 0, flags], [String(pidfd), String(sig), buf(info), String(flags)],
        backend.pidfdSendSignal(pidfd, sig, info, flags)),
    pidfdGetfd: (pidfd, targetfd, flags) =>
      record("pidfdGetfd", [pidfd, targetfd, flags], [String(pidfd), String(targetfd), String(flags)], backend.pidfdGetfd(pidfd, targetfd, flags)),
    waitid: (idtype, id, info, options) =>
      record("waitid", [idtype, id, info.length, options],
        [ID_TYPES.get(idtype) ?? String(idtype), String(id), buf(info), flagNames(options, WAIT_FLAGS)], backend.waitid(idtype, id, info, options)),
    ioctl: (fd, req, arg) =>
      record("ioctl", [fd, req >>> 0, arg ? arg.length : 0], [String(fd), request(req), buf(arg)], backend.ioctl(fd, req, arg)),
    fstat: (fd, stat) => record("fstat", [fd, stat.length], [String(fd), buf(stat)], backend.fstat(fd, stat)),
    fstatfs: (fd, statfs) => record("fstatfs", [fd, statfs.length], [String(fd), buf(statfs)], backend.fstatfs(fd, statfs)),
    nameToHandleAt: (dirfd, path, handle, mountId, flags) =>
      record("nameToHandleAt", [dirfd, cString(path), handle.length, flags],
        [String(dirfd), cString(path), buf(handle), buf(mountId), flagNames(flags, AT_FLAGS)],
        backend.nameToHandleAt(dirfd, path, handle, mountId, flags)),
    openByHandleAt: (mountFd, handle, flags) =>
      record("openByHandleAt", [mountFd, handle.length, flags], [String(mountFd), buf(handle), `0x${(flags >>> 0).toString(16)}`],
        backend.openByHandleAt(mountFd, handle, flags)),
    getsockopt: (fd, level, optname, optval) =>
      record("getsockopt", [fd, level, optname, optval.length], [String(fd), String(level), String(optname), buf(optval)],
        backend.getsockopt(fd, level, optname, optval)),
    setns: (fd, nstype) => record("setns", [fd, nstype], [String(fd), flagNames(nstype, CLONE_NEW_FLAGS)], backend.setns(fd, nstype)),
    close: (fd) => record("close", [fd], [String(fd)], backend.close(fd)),
    readFdinfo: (fd, b) => record("readFdinfo", [fd, b.length], [`/proc/self/fdinfo/${fd}`, buf(b)], backend.readFdinfo(fd, b)),
    processMrelease: (pidfd, flags) => record("processMrelease", [pidfd, flags], [String(pidfd), String(flags)], backend.processMrelease(pidfd, flags)),
  };

  function spawnShown(request: SpawnRequest): string[] {
    const cwd = request.actions.find((action) => "chdir" in action);
    return [JSON.stringify(request.file), `[${request.argv.map((arg) => JSON.stringify(arg)).join(", ")}]`,
      request.envp === null ? "environ" : `envp[${request.envp.length}]`, `actions[${request.actions.length}]`,
      ...(cwd ? [`cwd ${JSON.stringify(cwd.chdir)}`] : []), ...(request.setsid ? ["POSIX_SPAWN_SETSID"] : [])];
  }

  /** The process half, traced the same way (built on first use: koffi binds it lazily). */
  function traceProcess(inner: ProcessSyscalls): ProcessSyscalls {
    return {
      spawn: (req) => record("spawn", [req.file, ...req.argv], spawnShown(req), inner.spawn(req)),
      pipe: (fds, flags) => {
        const rc = inner.pipe(fds, flags);
        return record("pipe", [flags], [rc === 0 ? `[${fds[0]}, ${fds[1]}]` : "fds", `0x${flags.toString(16)}`], rc);
      },
      socketPair: (fds, flags) => {
        const rc = inner.socketPair(fds, flags);
        return record("socketPair", [flags], ["AF_UNIX", `SOCK_STREAM|0x${flags.toString(16)}`, "0", rc === 0 ? `[${fds[0]}, ${fds[1]}]` : "fds"], rc);
      },
      fcntl: (fd, cmd, arg) => record("fcntl", [fd, cmd, arg], [String(fd), String(cmd), String(arg)], inner.fcntl(fd, cmd, arg)),
      epollCreate: (flags) => record("epollCreate", [flags], [`0x${flags.toString(16)}`], inner.epollCreate(flags)),
      epollCtl: (epfd, op, fd, event) =>
        record("epollCtl", [epfd, op, fd], [String(epfd), EPOLL_OPS.get(op) ?? String(op), String(fd), buf(event)], inner.epollCtl(epfd, op, fd, event)),
      epollWait: (epfd, events, max, timeout) =>
        record("epollWait", [epfd, max, timeout], [String(epfd), buf(events), String(max), String(timeout)], inner.epollWait(epfd, events, max, timeout)),
      eventfd: (initval, flags) => record("eventfd", [initval, flags], [String(initval), `0x${flags.toString(16)}`], inner.eventfd(initval, flags)),
      write: (fd, b) => record("write", [fd, b.length], [String(fd), buf(b), String(b.length)], inner.write(fd, b)),
      kill: (pid, sig) => record("kill", [pid, sig], [String(pid), String(sig)], inner.kill(pid, sig)),
      reap: (pid) => record("reap", [pid], [String(pid), "NULL", "0"], inner.reap(pid)),
      setChildSubreaper: (on) =>
        record("setChildSubreaper", [on ? 1 : 0], ["PR_SET_CHILD_SUBREAPER", on ? "1" : "0"], inner.setChildSubreaper(on)),
      close: (fd) => record("close", [fd], [String(fd)], inner.close(fd)),
      pollReadable(fd, callback) {
        record("pollReadable", [fd], [String(fd), "UV_READABLE"], 0);
        return inner.pollReadable(fd, callback);
      },
    };
  }
  let tracedProcess: ProcessSyscalls | undefined;

  return {
    ...traced,
    simulated: backend.simulated === true,
    attach(core, arch) {
      names ??= requestNames(core, arch);
      backend.attach?.(core, arch);
    },
    get processSyscalls() {
      const inner = backend.processSyscalls;
      return inner && (tracedProcess ??= traceProcess(inner));
    },
    calls: (method) => (method ? records.filter((r) => r.method === method) : [...records]),
    count: (method) => (method ? counts[method] ?? 0 : Object.values(counts).reduce((a, b) => a + (b ?? 0), 0)),
    counts: () => ({ ...counts }),
    reset() {
      records = [];
      counts = {};
    },
  };
}
