// pidfd getfd <pid> <fd> [--json] [--exec [--] <cmd> [args...]]: another process's fd.
import fs from "node:fs";
import { parseInteger, parseOptions, parsePidfile, parseProcessName, noMoreThan, type ProcessName } from "./args.js";
import { EXIT, exitCodeOf, reportError, UsageError, type Command } from "./command.js";
import { parseFdinfoCommon } from "../embed.js";
import { printHelp, printJson, writeOut } from "./output.js";
import { DEFAULT_RUN, runCommand } from "./run.js";
import { openProcess } from "./target.js";

const help = `Usage: pidfd getfd [--json] <pid|pid:id|self> <fd> [--exec [--] <cmd> [args...]]
       pidfd getfd [--json] --pidfile <file> <fd> [--exec [--] <cmd> [args...]]

Takes a duplicate of file descriptor <fd> of another process (pidfd_getfd, Linux 5.6;
needs ptrace access to it) and describes it: path (from /proc/self/fd), type, the
open-file flags and the position (from /proc/self/fdinfo). The duplicate shares the
open file description: position and flags are shared with the other process.

Options:
  --json        print the description as one JSON object
  --pidfile <file>
                the process a pidfile names instead of <pid> (as "pidfd run
                --pidfile" writes it: refused once its pid names another process,
                or after a reboot)
  --exec <cmd>  run <cmd> [args...] with the duplicate as its fd 3 instead of
                describing it, as "pidfd run" runs it (in a session of its own;
                SIGINT, SIGQUIT, SIGHUP and SIGTERM passed on); exits with the
                command's status (126: cannot execute, 127: not found, 128+n:
                killed by signal n)
  -h, --help    show this help

Exit status: 0 described; 1 failed (no such process or fd, permission denied);
2 not supported; 125 usage error; with --exec, the command's status.`;

/** What `pidfd getfd` says about a file descriptor. */
export interface FdDescription {
  pid: number;
  fd: number;
  path: string;
  type: string;
  /** The open-file flags (fdinfo "flags", octal text), without our duplicate's O_CLOEXEC. */
  flags: string;
  flagNames: string[];
  position: number | null;
}

const O_CLOEXEC = 0o2000000; // the same on every architecture Node runs on

export const getfd: Command = {
  name: "getfd",
  summary: "duplicate another process's fd and describe it (or run a command with it)",
  help,
  async run(args) {
    const execAt = args.indexOf("--exec");
    const terminator = args.indexOf("--");
    const hasExec = execAt >= 0 && (terminator < 0 || execAt < terminator);
    const own = hasExec ? args.slice(0, execAt) : args;
    let command = hasExec ? args.slice(execAt + 1) : [];
    if (command[0] === "--") command = command.slice(1);
    const { values, positionals } = parseOptions(own, { json: { type: "boolean" }, pidfile: { type: "string" } });
    if (values.help) return printHelp(help);
    const pidfile = values.pidfile as string | undefined;
    const wanted = pidfile === undefined ? 2 : 1;
    if (positionals.length < wanted) throw new UsageError(positionals.length === 0 && wanted === 2 ? "no process given" : "no fd given");
    noMoreThan(positionals, wanted);
    const name: ProcessName = pidfile === undefined ? parseProcessName(positionals[0]!) : parsePidfile(pidfile);
    const targetFd = parseInteger(positionals[wanted - 1]!, "fd", 0, 0x7fffffff);
    if (hasExec && command.length === 0) throw new UsageError("option '--exec' needs a command");
    if (hasExec && values.json) throw new UsageError("--json and --exec exclude each other");

    let fd: number;
    try {
      using pidfd = openProcess(name);
      fd = pidfd.getRemoteFd(targetFd);
    } catch (error) {
      reportError(`getfd ${name.text} ${targetFd}`, error);
      return exitCodeOf(error);
    }
    try {
      if (hasExec) return await runCommand(command, DEFAULT_RUN, ["inherit", "inherit", "inherit", fd]);
      const description = describeFd(name.pid, targetFd, fd);
      if (values.json) printJson(description);
      else writeOut(formatDescription(description));
      return EXIT.ok;
    } finally {
      fs.closeSync(fd);
    }
  },
};

function describeFd(pid: number, targetFd: number, fd: number): FdDescription {
  const path = fs.readlinkSync(`/proc/self/fd/${fd}`);
  const fdinfo = parseFdinfoCommon(fs.readFileSync(`/proc/self/fdinfo/${fd}`));
  const flags = (fdinfo?.flags ?? 0) & ~O_CLOEXEC;
  const position = fdinfo?.pos;
  return {
    pid,
    fd: targetFd,
    path,
    type: fileType(fs.fstatSync(fd), path),
    flags: `0${flags.toString(8)}`,
    flagNames: flagNames(flags),
    position: position === undefined ? null : Number(position),
  };
}

function fileType(stat: fs.Stats, path: string): string {
  if (stat.isFile()) return "regular file";
  if (stat.isDirectory()) return "directory";
  if (stat.isFIFO()) return "pipe";
  if (stat.isSocket()) return "socket";
  if (stat.isCharacterDevice()) return "character device";
  if (stat.isBlockDevice()) return "block device";
  const anon = /^anon_inode:\[?([^\]]+)\]?$/.exec(path);
  return anon ? `anonymous inode (${anon[1]})` : "other";
}

/** The names of the O_* flags set in `flags`, from Node's fs.constants; unnamed bits in octal. */
function flagNames(flags: number): string[] {
  const { O_RDONLY, O_WRONLY, O_RDWR } = fs.constants;
  const accessMode = flags & 3;
  const names = [accessMode === O_WRONLY ? "O_WRONLY" : accessMode === O_RDWR ? "O_RDWR" : accessMode === O_RDONLY ? "O_RDONLY" : "O_ACCMODE"];
  let rest = flags & ~3;
  for (const [name, bit] of Object.entries(fs.constants)) {
    if (!name.startsWith("O_") || name === "O_RDONLY" || name === "O_WRONLY" || name === "O_RDWR") continue;
    if (bit !== 0 && (rest & bit) === bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(`0${rest.toString(8)}`);
  return names;
}

function formatDescription(d: FdDescription): string {
  const rows: [string, string][] = [
    ["path", d.path],
    ["type", d.type],
    ["flags", `${d.flags} (${d.flagNames.join("|")})`],
    ["position", d.position === null ? "-" : String(d.position)],
  ];
  return `${d.pid} fd ${d.fd}\n${rows.map(([label, value]) => `  ${label.padEnd(10)}${value}\n`).join("")}`;
}
