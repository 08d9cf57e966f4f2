// A C library without some functions (an older glibc, musl), played by a symbol lookup that hides
// them: each function is looked up where it is first needed, so only what needs a missing one
// fails, with a PidFdError naming it and the glibc version that added it. spawn() does without
// addclosefrom_np (a close action per open fd); `cwd` without addchdir_np is ENOTSUP; waiting
// needs epoll only; the pidfd calls fall back to syscall(2).
import assert from "node:assert/strict";
import { loadCore, spawnOn } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { EPOLL_CTL_ADD, EPOLLIN } from "../../host/constants.js";
import { functionName, libcSymbols, type SymbolLookup } from "../../host/sys/libc.js";
import { koffiProcessSyscalls } from "../../host/sys/process.js";
import { koffiSyscalls } from "../../host/sys/koffi.js";
import { outputOf } from "../lifecycle/helpers.js";
import { openFds } from "../util.js";

/** The real libc less `hidden`; `asked` records every function name looked up. */
function libcWithout(...hidden: string[]): { lookup: SymbolLookup; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup(prototype) {
      const name = functionName(prototype);
      asked.push(name);
      return hidden.includes(name) ? undefined : libcSymbols(prototype);
    },
  };
}

function throwsMissing(fn: () => unknown, code: string, name: string, glibc: string): void {
  assert.throws(fn, (error: unknown) => {
    const e = error as { name: string; code: string; syscall: string; message: string };
    assert.equal(e.name, "PidFdError", String(error));
    assert.equal(e.code, code);
    assert.equal(e.syscall, name);
    assert.match(e.message, new RegExp(`${name}.*glibc ${glibc.replace(".", "\\.")} added it`));
    return true;
  });
}

describe("a C library without some functions", () => {
  it("spawn() without posix_spawn_file_actions_addclosefrom_np: a close action per open fd, none inherited", async () => {
    const { lookup, asked } = libcWithout("posix_spawn_file_actions_addclosefrom_np");
    const core = loadCore(koffiSyscalls(lookup));
    // An fd of ours without O_CLOEXEC (F_DUPFD, 0): only the close actions keep it from the child.
    const leaked = core.process.fcntl(0, 0, 20);
    assert.ok(leaked >= 20, `F_DUPFD: ${leaked}`);
    try {
      const child = spawnOn(core, "sh", ["-c", `ls /proc/self/fd; [ -e /proc/self/fd/${leaked} ] && echo inherited || echo closed`],
        { stdio: ["ignore", "pipe", "inherit"] });
      const { status, out } = await outputOf(child);
      assert.equal(status.code, 0);
      assert.match(out, /closed\n$/);
      assert.ok(asked.includes("posix_spawn_file_actions_addclose"), "the fallback's close actions");
      child.close();
      // The same again: the close list describes the fds of the moment, and is made anew.
      const again = spawnOn(core, "sh", ["-c", `[ -e /proc/self/fd/${leaked} ] && echo inherited || echo closed`], { stdio: ["ignore", "pipe", "inherit"] });
      assert.equal((await outputOf(again)).out, "closed\n");
      again.close();
    } finally {
      core.process.close(leaked);
    }
  });

  it("spawn() with cwd without posix_spawn_file_actions_addchdir_np: ENOTSUP naming it and glibc 2.29; nothing started or left", async () => {
    const core = loadCore(koffiSyscalls(libcWithout("posix_spawn_file_actions_addchdir_np").lookup));
    const before = openFds();
    throwsMissing(() => spawnOn(core, "true", [], { cwd: "/" }), "ENOTSUP", "posix_spawn_file_actions_addchdir_np", "2.29");
    assert.deepEqual(openFds(), before, "no fd left behind");
    const child = spawnOn(core, "true", [], { stdio: "ignore" });
    assert.equal((await child.exited).code, 0, "without cwd, spawn() needs no chdir");
    child.close();
  });

  it("spawn() without posix_spawnp: ENOSYS naming it and glibc 2.2; no fd left", () => {
    const core = loadCore(koffiSyscalls(libcWithout("posix_spawnp").lookup));
    const before = openFds();
    throwsMissing(() => spawnOn(core, "true", [], { stdio: ["pipe", "pipe", "pipe"] }), "ENOSYS", "posix_spawnp", "2.2");
    assert.deepEqual(openFds(), before);
  });

  it("waiting needs epoll only: the watcher's calls look up epoll_create1, epoll_ctl, epoll_wait and close", async () => {
    const { lookup, asked } = libcWithout("posix_spawnp", "posix_spawn_file_actions_init", "posix_spawn_file_actions_addclosefrom_np",
      "posix_spawn_file_actions_addchdir_np", "pipe2", "socketpair", "fcntl", "eventfd");
    const sys = koffiProcessSyscalls(lookup);
    const child = spawnOn(loadCore(koffiSyscalls()), "sh", ["-c", "read _"], { stdio: ["pipe", "ignore", "ignore"] });
    const core = loadCore(koffiSyscalls());
    const epfd = sys.epollCreate(core.exports.o_cloexec() >>> 0);
    assert.ok(epfd >= 0);
    try {
      const event = core.scratch(core.exports.encode_epoll_event(EPOLLIN, child.pidfd.fd) >>> 0);
      assert.equal(sys.epollCtl(epfd, EPOLL_CTL_ADD, child.pidfd.fd, event), 0);
      const events = new Uint8Array(64);
      assert.equal(sys.epollWait(epfd, events, 4, 0), 0, "running: not ready");
      child.stdin!.end("\n");
      assert.equal(sys.epollWait(epfd, events, 4, -1), 1, "exited: readable");
    } finally {
      sys.close(epfd);
    }
    assert.deepEqual([...new Set(asked)].sort(), ["close", "epoll_create1", "epoll_ctl", "epoll_wait"]);
    assert.equal((await child.exited).code, 0);
    child.close();
  });

  it("without the pidfd wrappers of glibc 2.36: pidfd_open and pidfd_send_signal (with a siginfo too) through syscall(2)", async () => {
    const { lookup, asked } = libcWithout("pidfd_open", "pidfd_send_signal", "pidfd_getfd");
    const Pidfd = PidFd.on(loadCore(koffiSyscalls(lookup)));
    const child = spawnOn(loadCore(koffiSyscalls()), "sleep", ["1000"], { stdio: "ignore" });
    const pf = Pidfd.open(child.pid);
    try {
      assert.equal(pf.getPid(), child.pid);
      pf.sendSignal(0, { value: 7 }); // a siginfo pointer through syscall(2)
      pf.sendSignal("KILL");
      assert.equal((await child.exited).signal, "SIGKILL");
      assert.ok(asked.includes("syscall"));
    } finally {
      pf.close();
      child.close();
    }
  });

  it("a function missing from the core's half fails only where it is called: setns answers -ENOSYS, pidfd_open works", () => {
    const sys = koffiSyscalls(libcWithout("setns").lookup);
    const fd = sys.pidfdOpen(process.pid, 0);
    assert.ok(fd >= 0, "pidfd_open does not need setns");
    try {
      assert.equal(sys.setns(fd, 0), -38, "ENOSYS, as from a kernel without setns: nothing is thrown through the core");
    } finally {
      sys.close(fd);
    }
  });
});
