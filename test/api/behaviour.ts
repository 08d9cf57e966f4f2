// The behaviour of the public API, written once and run against every "world": the real kernel
// (real.test.ts) and the simulated kernel at each level (simulated.test.ts). Each expectation
// follows the world's kernel version: what that kernel can do, or the error naming the version
// that would.
import assert from "node:assert/strict";
import type { Core } from "../../host/core.js";
import type { PidFd } from "../../host/index.js";
import type { TracedSyscalls } from "../../host/sys/trace.js";

/** A core of its own (own support cache) on the world's kernel, with its syscalls traced. */
export interface WorldCore {
  PidFd: typeof PidFd;
  trace: TracedSyscalls;
  core: Core;
}

export interface WorldChild {
  pid: number;
  /** Makes the child exit with `code`; resolves once it is a zombie. */
  exit(code: number): Promise<void>;
  /** Its parent (we) reaps it without a pidfd (waitid P_PID). */
  reap(): void;
  /** Kills and reaps it unless that already happened. */
  dispose(): void;
}

export interface World {
  name: string;
  /** The kernel version, major * 1000 + minor (6.13 -> 6013). */
  version: number;
  selfPid: number;
  selfUid: number;
  newCore(): WorldCore;
  /** A child of ours that runs until told to exit. */
  spawn(): WorldChild;
  /** readlink(/proc/self/fd/<fd>). */
  describeFd(fd: number): string;
  /** readlink(/proc/<pid>/ns/<type>). */
  namespaceOf(pid: number, type: string): string;
  /** readlink(/proc/<pid>/fd/<fd>). */
  remoteFdOf(pid: number, fd: number): string;
  /** st_ino of an fd of ours. */
  inodeOf(fd: number): bigint;
  closeFd(fd: number): void;
  /** Our open fds. */
  openFds(): number[];
}

const V = (major: number, minor: number): number => major * 1000 + minor;

/** Asserts that `fn` throws a PidFdError with `code` whose message matches `message`. */
function throwsPidFd(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.equal((error as Error).name, "PidFdError", String(error));
    assert.equal((error as { code: string }).code, code, String(error));
    if (message) assert.match((error as Error).message, message);
    return true;
  });
}

export function defineBehaviour(world: World): void {
  const has = (major: number, minor: number): boolean => world.version >= V(major, minor);

  describe(`PidFd behaviour on ${world.name}`, () => {
    let api: WorldCore;
    let children: WorldChild[] = [];
    let pidfds: PidFd[] = [];
    let fdsBefore: number[];

    before(() => {
      api = world.newCore();
      fdsBefore = world.openFds();
    });
    afterEach(() => {
      for (const pf of pidfds) pf.close();
      for (const child of children) child.dispose();
      pidfds = [];
      children = [];
    });
    after(() => {
      assert.deepEqual(world.openFds(), fdsBefore, "the suite leaked fds");
    });

    const spawn = (): WorldChild => {
      const child = world.spawn();
      children.push(child);
      return child;
    };
    const open = (pid: number, options?: { nonblock?: boolean; thread?: boolean }, on: WorldCore = api): PidFd => {
      const pf = on.PidFd.open(pid, options);
      pidfds.push(pf);
      return pf;
    };

    if (!has(5, 3)) {
      it("PidFd.open throws ENOSYS naming Linux 5.3, and asks the kernel only once", () => {
        const fresh = world.newCore();
        const child = spawn();
        throwsPidFd(() => fresh.PidFd.open(child.pid), "ENOSYS", /Linux 5\.3/);
        throwsPidFd(() => fresh.PidFd.self(), "ENOSYS", /Linux 5\.3/);
        assert.equal(fresh.trace.count("pidfdOpen"), 1);
      });
      return;
    }

    it("getPid gives the child's pid: PIDFD_GET_INFO from 6.13, /proc/self/fdinfo before", () => {
      const child = spawn();
      const pf = open(child.pid);
      assert.equal(pf.getPid(), child.pid); // the first call may probe for PIDFD_GET_INFO
      api.trace.reset();
      assert.equal(pf.getPid(), child.pid);
      if (has(6, 13)) {
        assert.deepEqual(api.trace.counts(), { ioctl: 1 });
      } else {
        // fdinfo, then a signal-0 probe: before 5.10 fdinfo still shows the pid of a reaped process
        assert.deepEqual(api.trace.counts(), { readFdinfo: 1, pidfdSendSignal: 1 });
      }
    });

    it(has(6, 13) ? "getPpid is our pid" : "getPpid throws ENOTSUP naming Linux 6.13", () => {
      const pf = open(spawn().pid);
      if (has(6, 13)) assert.equal(pf.getPpid(), world.selfPid);
      else throwsPidFd(() => pf.getPpid(), "ENOTSUP", /6\.13/);
    });

    it(has(6, 13) ? "getCreds and getCgroupId describe the child" : "getCreds and getCgroupId throw ENOTSUP naming Linux 6.13", () => {
      const pf = open(spawn().pid);
      if (has(6, 13)) {
        const creds = pf.getCreds();
        assert.equal(creds.ruid, world.selfUid);
        assert.equal(creds.euid, world.selfUid);
        assert.equal(typeof pf.getCgroupId(), "bigint");
      } else {
        throwsPidFd(() => pf.getCreds(), "ENOTSUP", /6\.13/);
        throwsPidFd(() => pf.getCgroupId(), "ENOTSUP", /6\.13/);
      }
    });

    it(has(6, 9) ? "getId is the pidfs inode: the same for two pidfds, different for another process"
      : "getId throws ENOTSUP naming Linux 6.9", () => {
      const child = spawn();
      const pf = open(child.pid);
      if (!has(6, 9)) {
        throwsPidFd(() => pf.getId(), "ENOTSUP", /Linux 6\.9/);
        return;
      }
      const id = pf.getId();
      assert.equal(id, world.inodeOf(pf.fd));
      assert.equal(open(child.pid).getId(), id);
      assert.notEqual(open(spawn().pid).getId(), id);
      api.trace.reset();
      const fresh = open(child.pid);
      api.trace.reset();
      fresh.getId();
      if (has(6, 13)) assert.deepEqual(api.trace.counts(), { nameToHandleAt: 1 });
      else assert.deepEqual(api.trace.counts(), { fstatfs: 1, fstat: 1 }, "st_ino is an id only for a pidfd: fstatfs says it is one");
      api.trace.reset();
      fresh.getId();
      assert.deepEqual(api.trace.counts(), {}, "read once: the id never changes");
    });

    it("isAlive: true while running and as a zombie, false once reaped; then getPid throws ESRCH", async () => {
      const child = spawn();
      const pf = open(child.pid);
      assert.equal(pf.isAlive(), true);
      await child.exit(3);
      assert.equal(pf.isAlive(), true);
      assert.equal(pf.getPid(), child.pid);
      child.reap();
      assert.equal(pf.isAlive(), false);
      throwsPidFd(() => pf.getPid(), "ESRCH");
      throwsPidFd(() => pf.sendSignal("SIGTERM"), "ESRCH");
    });

    it(has(5, 4) ? "wait returns the exit code and reaps; a second wait returns the same status"
      : "wait throws ENOTSUP naming Linux 5.4 (no waitid P_PIDFD)", async () => {
      const child = spawn();
      const pf = open(child.pid);
      if (!has(5, 4)) {
        throwsPidFd(() => pf.tryWait(), "ENOTSUP", /5\.4/);
        await child.exit(7);
        throwsPidFd(() => pf.wait(), "ENOTSUP", /5\.4/);
        return;
      }
      assert.equal(pf.tryWait(), null);
      await child.exit(7);
      pf.reaping = "observe";
      assert.equal(pf.wait().code, 7);
      pf.reaping = "reap";
      const status = pf.wait();
      assert.equal(status.kind, "exited");
      assert.equal(status.code, 7);
      assert.equal(pf.isAlive(), false);
      assert.equal(pf.wait(), status, "the status this PidFd reaped, not ECHILD");
      assert.equal(pf.tryWait(), status);
    });

    it("kill: the child dies of SIGKILL", () => {
      const child = spawn();
      const pf = open(child.pid);
      pf.kill();
      if (has(5, 4)) {
        const status = pf.wait();
        assert.equal(status.signal, "SIGKILL");
        assert.equal(status.code, null);
      } else {
        assert.equal(pf.isAlive(), true, "a zombie until its parent reaps it");
        child.reap();
        assert.equal(pf.isAlive(), false);
      }
    });

    it(has(6, 15) ? "getInfo after the reap by the parent: the exit status (PIDFD_INFO_EXIT)"
      : has(6, 13) ? "getInfo after the reap throws ESRCH (no PIDFD_INFO_EXIT before 6.15)"
        : "getInfo throws ENOTSUP naming Linux 6.13", async () => {
      const child = spawn();
      const pf = open(child.pid);
      if (has(6, 13)) {
        const live = pf.getInfo();
        assert.equal(live.pid, child.pid);
        assert.equal(live.exit, null);
      }
      await child.exit(42);
      child.reap();
      if (has(6, 15)) {
        const info = pf.getInfo();
        assert.equal(info.exit?.code, 42);
        assert.equal(info.pid, null);
        assert.equal(info.creds, null);
      } else if (has(6, 13)) {
        throwsPidFd(() => pf.getInfo(), "ESRCH");
      } else {
        throwsPidFd(() => pf.getInfo(), "ENOTSUP", /6\.13/);
      }
    });

    it(has(5, 10) ? "a non-blocking pidfd: wait on a running child throws EAGAIN, tryWait gives null"
      : "PidFd.open with nonblock throws ENOTSUP naming Linux 5.10", () => {
      const child = spawn();
      if (!has(5, 10)) {
        throwsPidFd(() => open(child.pid, { nonblock: true }), "ENOTSUP", /5\.10/);
        return;
      }
      const pf = open(child.pid, { nonblock: true });
      throwsPidFd(() => pf.wait(), "EAGAIN");
      assert.equal(pf.tryWait(), null);
    });

    it(has(6, 9) ? "a thread pidfd (PIDFD_THREAD) names the leader" : "PidFd.open with thread throws ENOTSUP naming Linux 6.9", () => {
      const child = spawn();
      if (!has(6, 9)) {
        throwsPidFd(() => open(child.pid, { thread: true }), "ENOTSUP", /6\.9/);
        throwsPidFd(() => open(child.pid).sendSignal(0, { scope: "process" }), "ENOTSUP", /6\.9/);
        return;
      }
      assert.equal(open(child.pid, { thread: true }).getPid(), child.pid);
      open(child.pid).sendSignal(0, { scope: "process" });
    });

    it(has(6, 11) ? "getNamespace opens the child's namespace" : "getNamespace throws ENOTSUP naming Linux 6.11", () => {
      const child = spawn();
      const pf = open(child.pid);
      if (!has(6, 11)) {
        throwsPidFd(() => pf.getNamespace("net"), "ENOTSUP", /6\.11/);
        return;
      }
      for (const type of ["net", "uts"] as const) {
        const fd = pf.getNamespace(type);
        try {
          assert.equal(world.describeFd(fd), world.namespaceOf(child.pid, type));
        } finally {
          world.closeFd(fd);
        }
      }
    });

    it(has(5, 6) ? "getRemoteFd duplicates the child's fd 0" : "getRemoteFd throws ENOSYS naming Linux 5.6", () => {
      const child = spawn();
      const pf = open(child.pid);
      if (!has(5, 6)) {
        throwsPidFd(() => pf.getRemoteFd(0), "ENOSYS", /5\.6/);
        return;
      }
      const fd = pf.getRemoteFd(0);
      try {
        assert.equal(world.describeFd(fd), world.remoteFdOf(child.pid, 0));
      } finally {
        world.closeFd(fd);
      }
      throwsPidFd(() => pf.getRemoteFd(999), "EBADF");
    });

    it("fromFd adopts a pidfd and rejects another file with EBADF", () => {
      const child = spawn();
      const pf = open(child.pid);
      throwsPidFd(() => api.PidFd.fromFd(pf.fd), "EBUSY");
      throwsPidFd(() => api.PidFd.fromFd(0), "EBADF");
    });

    describe("support detection runs once per feature", () => {
      /** Calls `fn` `times` times; an error is accepted only with the code an old kernel gives. */
      const repeat = (times: number, fn: () => void, unsupported: string): void => {
        for (let i = 0; i < times; i++) {
          try {
            fn();
          } catch (error) {
            assert.equal((error as { code: string }).code, unsupported);
          }
        }
      };

      it("PIDFD_GET_INFO", () => {
        const fresh = world.newCore();
        const pf = open(spawn().pid, {}, fresh);
        fresh.trace.reset();
        repeat(1, () => pf.getCreds(), "ENOTSUP");
        const first = fresh.trace.count("ioctl");
        repeat(2, () => pf.getCreds(), "ENOTSUP");
        if (has(6, 13)) assert.equal(fresh.trace.count("ioctl"), 3, "one ioctl per call, no probing");
        else assert.equal(fresh.trace.count("ioctl"), first, "no ioctl after the first answer");
      });

      it("pidfs and its file handles", () => {
        const fresh = world.newCore();
        const pid = spawn().pid;
        // Three pidfds: each reads its id once (a PidFd never asks twice, see getId above).
        const pidfds = [open(pid, {}, fresh), open(pid, {}, fresh), open(pid, {}, fresh)];
        fresh.trace.reset();
        let next = 0;
        repeat(3, () => pidfds[next++]!.getId(), "ENOTSUP");
        assert.equal(fresh.trace.count("fstatfs"), has(6, 13) ? 1 : 3, "without file handles each call checks the fd is a pidfd");
        assert.equal(fresh.trace.count("nameToHandleAt"), has(6, 13) ? 3 : has(6, 9) ? 1 : 0);
        assert.equal(fresh.trace.count("fstat"), has(6, 13) ? 0 : has(6, 9) ? 3 : 0);
      });

      it("namespace ioctls", () => {
        const fresh = world.newCore();
        const pf = open(spawn().pid, {}, fresh);
        fresh.trace.reset();
        repeat(3, () => world.closeFd(pf.getNamespace("uts")), "ENOTSUP");
        assert.equal(fresh.trace.count("ioctl"), has(6, 11) ? 3 : 1);
      });

      it("pidfd_getfd", () => {
        const fresh = world.newCore();
        const pf = open(spawn().pid, {}, fresh);
        fresh.trace.reset();
        repeat(3, () => world.closeFd(pf.getRemoteFd(0)), "ENOSYS");
        assert.equal(fresh.trace.count("pidfdGetfd"), has(5, 6) ? 3 : 1);
      });
    });
  });
}
