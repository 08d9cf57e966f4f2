// pidfd tree [--json] [--pidfile <file>] [<pid|pid:id|self>]: a process and its descendants, each found and held
// by a pidfd (PidFd.descendants()), as an indented tree.
import fs from "node:fs";
import type { PidFd, ProcessTreeNode } from "../pidfd.js";
import { noMoreThan, parseOptions, parsePidfile, parseProcessName } from "./args.js";
import { exitCodeOf, reportError, type Command } from "./command.js";
import { printHelp, printJson, writeOut } from "./output.js";
import { openProcess, stableName } from "./target.js";
import { userName } from "./users.js";

const help = `Usage: pidfd tree [--json] [--pidfile <file>] [<pid|pid:id|self>]

Shows a process (default 1, init) and all its descendants, one per line, each
indented under its parent: <pid>:<id>, user, state and command name. Every process
is opened as a pidfd and checked to be the child of its parent after the open, so a
pid reused meanwhile by another process is never shown as a descendant.

Options:
  --json             one JSON object: the root, with its children nested (ids as strings)
  --pidfile <file>   the process a pidfile names instead (as "pidfd run --pidfile" writes
                     it: refused once its pid names another process, or after a reboot)
  -h, --help         show this help

Exit status: 0 shown; 1 failed (no such process); 2 not supported by this kernel;
125 usage error.`;

/** What `pidfd tree` shows of one process; null where /proc said nothing (it exited meanwhile). */
export interface TreeReport {
  name: string;
  pid: number;
  id: string | null;
  ppid: number;
  user: { uid: number; name: string | null } | null;
  /** The State line of /proc/<pid>/status, e.g. "S (sleeping)". */
  state: string | null;
  /** /proc/<pid>/comm. */
  command: string | null;
  children: TreeReport[];
}

export const tree: Command = {
  name: "tree",
  summary: "show a process and its descendants, each held by a pidfd",
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: "boolean" }, pidfile: { type: "string" } });
    if (values.help) return printHelp(help);
    noMoreThan(positionals, values.pidfile === undefined ? 1 : 0);
    const name = values.pidfile === undefined ? parseProcessName(positionals[0] ?? "1") : parsePidfile(values.pidfile as string);
    let report: TreeReport;
    try {
      using root = openProcess(name);
      using found = root.descendants();
      report = describe(found.root);
    } catch (error) {
      reportError(`tree ${name.text}`, error);
      return exitCodeOf(error);
    }
    if (values.json) printJson(report);
    else writeOut(format(report, 0));
    return 0;
  },
};

/** The report of a node and its children: /proc read through each node's pidfd (accessProc). */
function describe(node: ProcessTreeNode): TreeReport {
  const status = readProc(node.pidfd, "status");
  const uid = status === null ? null : Number(/^Uid:\s*(\d+)/m.exec(status)?.[1]);
  return {
    name: stableName(node.pid, node.id),
    pid: node.pid,
    id: node.id === null ? null : String(node.id),
    ppid: node.ppid,
    user: uid === null || Number.isNaN(uid) ? null : { uid, name: userName(uid) },
    state: status === null ? null : /^State:\s*(.+)$/m.exec(status)?.[1]?.trim() ?? null,
    command: readProc(node.pidfd, "comm")?.trimEnd() ?? null,
    children: node.children.map(describe),
  };
}

/** A file of /proc/<pid>, or null once the process has exited (accessProc refuses what a reused pid shows). */
function readProc(pidfd: PidFd, file: string): string | null {
  try {
    return pidfd.accessProc((dir) => fs.readFileSync(`${dir}/${file}`, "utf8"));
  } catch {
    return null;
  }
}

function format(report: TreeReport, depth: number): string {
  const user = report.user === null ? "-" : report.user.name ?? String(report.user.uid);
  const line = `${"  ".repeat(depth)}${report.name}  ${user}  ${report.state ?? "exited"}  ${report.command ?? "-"}\n`;
  return line + report.children.map((child) => format(child, depth + 1)).join("");
}
