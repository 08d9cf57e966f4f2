// The public API's loop for every synchronous operation (bench/ops.ts), on the real processes
// or on stand-ins on the no-op kernel. No koffi here: the no-op worker (bench/noop_worker.ts)
// loads only the library and this.
import { loadCore } from "../host/core.js";
import { PidFd } from "../host/index.js";
import { loop, type Loop } from "./harness.js";
import { noopSyscalls } from "./noop_kernel.js";

/** Keeps results alive so no loop body is dead code. */
export let sink = 0;

/** What the public-API loops work on: the real processes, or stand-ins on the no-op kernel. */
export interface Subjects {
  PidFd: typeof PidFd;
  self: PidFd;
  dead: PidFd;
  running: PidFd;
  remoteTarget: number;
  /** Closes an fd the library returned (a namespace fd, a remote fd). */
  closeFd(fd: number): void;
}

/** The public API's loop for every operation. */
export function publicLoops(s: Subjects): Record<string, Loop> {
  const pid = process.pid;
  return {
    open_close: loop(() => s.PidFd.open(pid).close()),
    alive_live: loop(() => { if (!s.self.isAlive()) throw new Error("dead?"); }),
    alive_dead: loop(() => { if (s.dead.isAlive()) throw new Error("alive?"); }),
    signal_dead_throw: loop(() => {
      try {
        s.dead.sendSignal(0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    }),
    send_signal0: loop(() => s.self.sendSignal(0)),
    get_pid: loop(() => { sink += s.self.getPid(); }),
    get_pid_child: loop(() => { sink += s.running.getPid(); }),
    get_ppid: loop(() => { sink += s.self.getPpid(); }),
    get_id: loop(() => { sink += Number(s.self.getId() & 1n); }),
    get_creds: loop(() => { sink += s.self.getCreds().euid; }),
    get_cgroup_id: loop(() => { sink += Number(s.self.getCgroupId() & 1n); }),
    get_info: loop(() => { sink += s.self.getInfo().pid!; }),
    get_namespace_close: loop(() => s.closeFd(s.self.getNamespace("pid"))),
    try_wait_running: loop(() => { if (s.running.tryWait() !== null) throw new Error("the child exited"); }),
    get_remote_fd_close: loop(() => s.closeFd(s.self.getRemoteFd(s.remoteTarget))),
  };
}

/** Stand-ins on the no-op kernel (bench/noop_kernel.ts): fd numbers no real file has. */
export function noopSubjects(): Subjects {
  const deadFd = 900_002;
  const NoopPidFd = PidFd.on(loadCore(noopSyscalls(deadFd)));
  const running = NoopPidFd.fromFd(900_003);
  running.reaping = "observe";
  return {
    PidFd: NoopPidFd, self: NoopPidFd.fromFd(900_001), dead: NoopPidFd.fromFd(deadFd), running, remoteTarget: 3,
    closeFd: () => {},
  };
}
