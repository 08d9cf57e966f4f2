// The processes the in-process variants work on: ourselves, a dead child of ours, a running
// child of ours. Nothing else is probed or signalled.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { once } from "node:events";
import { PidFd } from "../host/index.js";

export interface Fixtures {
  /** A pidfd for this process. */
  self: PidFd;
  /** A pidfd for a child of ours that has exited and been reaped: it can never name another process. */
  dead: PidFd;
  /** The dead child's pid, for Node's process.kill (which has no pidfd): see checkDeadPid(). */
  deadPid: number;
  /** A pidfd ("observe": Node's child_process owns the child) for a running child of ours. */
  running: PidFd;
  /** An fd of ours for pidfd_getfd to duplicate (/dev/null). */
  remoteTarget: number;
  close(): Promise<void>;
}

/** Spawns a child with Node's child_process and opens its pidfd before Node can reap it. */
function spawnWithPidFd(command: string, args: string[]): { child: ChildProcess; pidfd: PidFd } {
  const child = spawn(command, args, { stdio: "ignore" });
  if (child.pid === undefined) throw new Error(`cannot spawn ${command}`);
  // Node reaps in its SIGCHLD handler, which cannot run before this synchronous code returns.
  return { child, pidfd: PidFd.open(child.pid) };
}

export async function createFixtures(): Promise<Fixtures> {
  const self = PidFd.self();
  const dead = spawnWithPidFd("/bin/true", []);
  await once(dead.child, "exit");
  if (dead.pidfd.isAlive()) throw new Error("the reaped child still answers");
  const running = spawnWithPidFd("sleep", ["600"]);
  running.pidfd.reaping = "observe";
  const remoteTarget = fs.openSync("/dev/null", "r");
  return {
    self,
    dead: dead.pidfd,
    deadPid: dead.child.pid!,
    running: running.pidfd,
    remoteTarget,
    async close() {
      running.child.kill("SIGKILL");
      if (running.child.exitCode === null && running.child.signalCode === null) await once(running.child, "exit");
      for (const pidfd of [self, dead.pidfd, running.pidfd]) pidfd.close();
      fs.closeSync(remoteTarget);
    },
  };
}

/**
 * Node's dead-process probe uses the bare pid, which the kernel may hand to a new process: a
 * loop that saw anything but ESRCH stops and fails, and the pid is checked before each use.
 */
export function checkDeadPid(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
  }
  throw new Error(`pid ${pid} has been reused by another process`);
}
