// The real kernel as a world of the behaviour suite (behaviour.ts), with children this process
// owns: run by mocha (real.test.ts) and by every runtime of test:runtimes (test/runtimes/suite.ts).
import fs from "node:fs";
import os from "node:os";
import { PidFd } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { koffiSyscalls } from "../../host/sys/koffi.js";
import { traceSyscalls } from "../../host/sys/trace.js";
import { kernelVersion } from "../../host/sys/simulated.js";
import type { World } from "./behaviour.js";
import { closeRawFd, spawnRealChild } from "./real_children.js";

export const realWorld: World = {
  name: `the real kernel (${os.release()})`,
  version: kernelVersion(os.release()),
  selfPid: process.pid,
  selfUid: process.getuid!(),
  newCore() {
    const trace = traceSyscalls(koffiSyscalls());
    const core = loadCore(trace);
    return { PidFd: PidFd.on(core), trace, core };
  },
  spawn: spawnRealChild,
  describeFd: (fd) => fs.readlinkSync(`/proc/self/fd/${fd}`),
  namespaceOf: (pid, type) => fs.readlinkSync(`/proc/${pid}/ns/${type}`),
  remoteFdOf: (pid, fd) => fs.readlinkSync(`/proc/${pid}/fd/${fd}`),
  // Through /proc/self/fd paths and libc, not fstat/close of node:fs: portable to Deno (real_children.ts).
  inodeOf: (fd) => fs.statSync(`/proc/self/fd/${fd}`, { bigint: true }).ino,
  closeFd: closeRawFd,
  openFds: () => fs.readdirSync("/proc/self/fd").map(Number).filter((fd) => {
    try {
      return !fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith("/proc/");
    } catch {
      return false; // the directory listing's own fd, closed by now
    }
  }).sort((a, b) => a - b),
};
