// Runs the built `pidfd` command in a pseudo-terminal, through script(1), as a user at a
// terminal would: pidfd is the session leader and the terminal's foreground process group, and
// typing "\x03" (Ctrl-C) makes the terminal send SIGINT to that group.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";
import { until } from "../util.js";
import { CLI } from "./run_cli.js";

/** A `pidfd` command running in a pseudo-terminal of its own. */
export interface TerminalCli {
  /** script(1), which holds the terminal; its child is the `pidfd` process. */
  readonly script: ChildProcess & { pid: number };
  /** What the terminal has shown so far, lines ending in "\n" (the terminal's "\r\n" turned back). */
  output(): string;
  /** Resolves with the first line the terminal shows that matches `pattern`; rejects if script exits first. */
  line(pattern: RegExp): Promise<string>;
  /** Types `text` at the terminal ("\x03": Ctrl-C, "\x1c": Ctrl-\, "\x1a": Ctrl-Z). */
  type(text: string): void;
  /** Resolves once script has exited: with its exit status, which script -e makes pidfd's. */
  readonly exit: Promise<number | null>;
  /** Kills what still runs in the terminal (deepest processes first, each reaped by its parent), then script. */
  close(): Promise<void>;
}

/**
 * A perl program (perl-base's POSIX module: no shell can see who sent a signal) that reports
 * each SIGINT and SIGQUIT it gets with the sender's pid and si_code (0 SI_USER: kill(2) or
 * pidfd_send_signal(2); 128 SI_KERNEL: the terminal), once both handlers are set prints
 * "ready <its pid> <its parent's pid>", and exits 3 at the first SIGQUIT. It writes with syswrite:
 * perl's buffered print can write a line again when a signal handler prints.
 */
export const SIGNAL_REPORTER = `
  use POSIX;
  my $report = sub { my ($name, $info) = @_; syswrite STDOUT, "$name from $info->{pid} code $info->{code}\\n"; exit 3 if $name eq "QUIT" };
  POSIX::sigaction($_, POSIX::SigAction->new($report, POSIX::SigSet->new, POSIX::SA_SIGINFO)) for (SIGINT, SIGQUIT);
  syswrite STDOUT, "ready $$ " . getppid() . "\\n";
  POSIX::pause() while 1;
`;

/** `'text'` for sh, whatever `text` holds. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Starts `pidfd ...args` under `script -qec "exec node main.cjs ..." /dev/null`. */
export async function startInTerminal(...args: string[]): Promise<TerminalCli> {
  const command = ["exec", process.execPath, CLI, ...args].map(shellQuote).join(" ");
  const script = spawn("script", ["-qec", command, "/dev/null"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, SHELL: "/bin/sh" },
  }) as ChildProcess & { pid: number };
  let shown = "";
  script.stdout!.setEncoding("utf8").on("data", (chunk: string) => (shown += chunk.replaceAll("\r\n", "\n")));
  const exit = once(script, "exit").then(([code]) => code as number | null);
  await once(script, "spawn");
  return {
    script,
    output: () => shown,
    line: (pattern) => new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = shown.split("\n").slice(0, -1).find((line) => pattern.test(line));
        if (found !== undefined) resolve(found);
        return found !== undefined;
      };
      if (check()) return;
      const onData = (): void => {
        if (check()) script.stdout!.off("data", onData);
      };
      script.stdout!.on("data", onData);
      void exit.then(() => {
        if (!check()) reject(new Error(`script exited before a line matching ${pattern}; the terminal showed ${JSON.stringify(shown)}`));
      });
    }),
    type: (text) => script.stdin!.write(text),
    exit,
    close: () => closeTerminal(script, exit),
  };
}

/** Where a process stands towards terminals (/proc/<pid>/stat): its process group and session, its controlling terminal and that terminal's foreground process group. */
export interface TerminalPlace {
  pgrp: number;
  session: number;
  /** The controlling terminal's device number; 0: none. */
  ttyNr: number;
  /** The controlling terminal's foreground process group; -1: no controlling terminal. */
  tpgid: number;
}

/** The TerminalPlace of process `pid`, from /proc/<pid>/stat. */
export function terminalPlace(pid: number): TerminalPlace {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const [, , pgrp, session, ttyNr, tpgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  return { pgrp: pgrp!, session: session!, ttyNr: ttyNr!, tpgid: tpgid! };
}

/** The lines the terminal showed, without the echoes of Ctrl-C ("^C") and Ctrl-\ ("^\\"). */
export function linesShown(output: string): string[] {
  return output.replaceAll("^C", "").replaceAll("^\\", "").split("\n").slice(0, -1);
}

/** The children of `pid` (/proc/<pid>/task/<pid>/children), empty once it has exited. */
function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function closeTerminal(script: ChildProcess & { pid: number }, exit: Promise<number | null>): Promise<void> {
  if (script.exitCode === null && script.signalCode === null) {
    const descendants: PidFd[] = [];
    const collect = (pid: number): void => {
      for (const child of childrenOf(pid)) {
        collect(child);
        try {
          descendants.push(PidFd.open(child));
        } catch {
          // it has just been reaped
        }
      }
    };
    collect(script.pid);
    for (const pidfd of descendants) {
      if (pidfd.isAlive()) pidfd.kill();
      await until(() => !pidfd.isAlive());
      pidfd.close();
    }
    script.kill("SIGKILL");
  }
  await exit;
}
