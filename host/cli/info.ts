// pidfd info <pid|self>... [--json]: what a pidfd tells about a process.
import fs from "node:fs";
import { PidFdError } from "../errors.js";
import { ExitStatus } from "../exit_status.js";
import { NAMESPACE_TYPES, type NamespaceType, type PidFd } from "../pidfd.js";
import { parseOptions, parseTargets, PIDFILE_OPTION, type ProcessName } from "./args.js";
import { combinedExitCode, reasonOf, reportError, type Command } from "./command.js";
import { printHelp, printJson, writeOut } from "./output.js";
import { openProcess, stableName } from "./target.js";
import { groupName, userName } from "./users.js";

const help = `Usage: pidfd info [--json] [--pidfile <file>]... <pid|pid:id|self>...

Shows what a pidfd tells about each process: pid, thread-group id, parent, state,
credentials (with the user and group names NSS gives, as for id(1)), cgroup id
and path, the unique process id, and the inode of each of its namespaces. The first
line names the process as <pid>:<id>, which other pidfd commands accept and refuse
once the pid names another process.

Options:
  --json       one JSON object per process and line (64-bit values as strings)
  --pidfile <file>
               also the process a pidfile names (one "pidfd run --pidfile" or the
               library's writePidfile() wrote: refused once its pid names another
               process, or after a reboot); may be repeated
  -h, --help   show this help

Exit status: 0 all shown; 1 failed; 2 not supported by this kernel;
64 some shown, some failed; 125 usage error.`;

/** One id and its name, e.g. 0 and "root". */
interface NamedId {
  id: number;
  name: string | null;
}

/** The four user (or group) ids of a process. */
interface IdSet {
  real: NamedId;
  effective: NamedId;
  saved: NamedId;
  fs: NamedId;
}

/** What `pidfd info` reports about one process; null where the kernel gave nothing. */
export interface ProcessReport {
  name: string;
  pid: number | null;
  tgid: number | null;
  ppid: number | null;
  id: string | null;
  /** "running" (including sleeping and stopped), "zombie" (exited, not reaped) or "exited". */
  state: "running" | "zombie" | "exited" | null;
  /** The State line of /proc/<pid>/status, e.g. "S (sleeping)". */
  procState: string | null;
  exit: ReturnType<ExitStatus["toJSON"]> | null;
  uids: IdSet | null;
  gids: IdSet | null;
  cgroup: { id: string | null; path: string | null };
  namespaces: Record<NamespaceType, string | null>;
  /** Why a field is null, by field name. */
  unavailable: Record<string, string>;
}

export const info: Command = {
  name: "info",
  summary: "show pid, parent, credentials, cgroup, id, namespaces and state",
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: "boolean" }, ...PIDFILE_OPTION });
    if (values.help) return printHelp(help);
    const names = parseTargets(positionals, values.pidfile);
    const failures: unknown[] = [];
    let first = true;
    for (const name of names) {
      let report: ProcessReport;
      try {
        report = describe(name);
      } catch (error) {
        reportError(`info ${name.text}`, error);
        failures.push(error);
        continue;
      }
      if (values.json) printJson(report);
      else {
        writeOut(`${first ? "" : "\n"}${formatReport(report)}`);
        first = false;
      }
    }
    return combinedExitCode(failures, names.length);
  },
};

/** Gathers the report; throws only when the process cannot be opened or is gone. */
export function describe(name: ProcessName): ProcessReport {
  using pidfd = openProcess(name);
  const unavailable: Record<string, string> = {};
  const attempt = <T>(field: string, read: () => T): T | null => {
    try {
      return read();
    } catch (error) {
      if (error instanceof PidFdError && error.code === "ESRCH" && field === "info") throw error;
      unavailable[field] = reasonOf(error);
      return null;
    }
  };
  const kernelInfo = attempt("info", () => pidfd.getInfo());
  const pid = kernelInfo?.pid ?? attempt("pid", () => pidfd.getPid());
  const id = attempt("id", () => pidfd.getId());
  const exit = kernelInfo?.exit ?? null;
  const procState = exit ? null : attempt("procState", () => readProcState(pidfd));
  const creds = kernelInfo?.creds ?? null;
  const namespaces = {} as Record<NamespaceType, string | null>;
  for (const type of Object.keys(NAMESPACE_TYPES) as NamespaceType[]) {
    namespaces[type] = attempt(`namespaces.${type}`, () => namespaceInode(pidfd, type));
  }
  return {
    name: stableName(pid ?? name.pid, id),
    pid,
    tgid: kernelInfo?.tgid ?? null,
    ppid: kernelInfo?.ppid ?? null,
    id: id === null ? null : String(id),
    state: exit ? "exited" : procState === null ? null : procState.startsWith("Z") ? "zombie" : "running",
    procState,
    exit: exit ? exit.toJSON() : null,
    uids: creds && idSet([creds.ruid, creds.euid, creds.suid, creds.fsuid], userName),
    gids: creds && idSet([creds.rgid, creds.egid, creds.sgid, creds.fsgid], groupName),
    cgroup: {
      id: kernelInfo?.cgroupId == null ? null : String(kernelInfo.cgroupId),
      path: exit ? null : attempt("cgroup.path", () => readCgroupPath(pidfd)),
    },
    namespaces,
    unavailable,
  };
}

function idSet([real, effective, saved, fs]: number[], nameOf: (id: number) => string | null): IdSet {
  const named = (id: number): NamedId => ({ id, name: nameOf(id) });
  return { real: named(real!), effective: named(effective!), saved: named(saved!), fs: named(fs!) };
}

/** The State line of /proc/<pid>/status, read through accessProc (refused if the pid was reused). */
function readProcState(pidfd: PidFd): string {
  const status = pidfd.accessProc((dir) => fs.readFileSync(`${dir}/status`, "utf8"));
  const state = /^State:\s*(.+)$/m.exec(status)?.[1]?.trim();
  if (!state) throw new Error("no State line in /proc/<pid>/status");
  return state;
}

/** The cgroup v2 path ("0::<path>" in /proc/<pid>/cgroup), read through accessProc. */
function readCgroupPath(pidfd: PidFd): string {
  const lines = pidfd.accessProc((dir) => fs.readFileSync(`${dir}/cgroup`, "utf8")).split("\n");
  const unified = lines.find((line) => line.startsWith("0::"));
  if (unified === undefined) throw new Error("no cgroup v2 entry in /proc/<pid>/cgroup");
  return unified.slice(3);
}

/** The inode of one of the process's namespaces: PIDFD_GET_<type>_NAMESPACE, then fstat. */
function namespaceInode(pidfd: PidFd, type: NamespaceType): string {
  const fd = pidfd.getNamespace(type);
  try {
    return String(fs.fstatSync(fd, { bigint: true }).ino);
  } finally {
    fs.closeSync(fd);
  }
}

/** The human form: the name, then one field per line. */
export function formatReport(report: ProcessReport): string {
  const rows: [string, string][] = [];
  const missing = (field: string): string => {
    const reason = report.unavailable[field];
    return reason ? `- (${reason})` : "-";
  };
  const show = (value: unknown, field: string): string => (value === null || value === undefined ? missing(field) : String(value));
  rows.push(["pid", show(report.pid, "pid")]);
  rows.push(["tgid", show(report.tgid, "info")]);
  rows.push(["ppid", show(report.ppid, "info")]);
  rows.push(["state", formatState(report)]);
  rows.push(["uid", report.uids ? formatIds(report.uids) : missing("info")]);
  rows.push(["gid", report.gids ? formatIds(report.gids) : missing("info")]);
  rows.push(["cgroup", `${show(report.cgroup.id, "info")} ${show(report.cgroup.path, "cgroup.path")}`]);
  rows.push(["id", show(report.id, "id")]);
  for (const [type, inode] of Object.entries(report.namespaces)) {
    rows.push([`ns ${type}`, show(inode, `namespaces.${type}`)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return `${report.name}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}${value}\n`).join("")}`;
}

function formatState(report: ProcessReport): string {
  if (report.exit) return ExitStatus.fromRaw(report.exit.raw).toString();
  if (report.state === null) return `- (${report.unavailable.procState ?? "unknown"})`;
  return report.state === "zombie" ? "zombie (exited, not yet reaped)" : `running (${report.procState?.replace(/[()]/g, "")})`;
}

function formatIds(ids: IdSet): string {
  const named = ({ id, name }: NamedId): string => (name === null ? String(id) : `${id}(${name})`);
  const all = [ids.real, ids.effective, ids.saved, ids.fs];
  if (all.every(({ id }) => id === ids.real.id)) return named(ids.real);
  return `real ${named(ids.real)} effective ${named(ids.effective)} saved ${named(ids.saved)} fs ${named(ids.fs)}`;
}
