// The behaviour suite against the real kernel, with children this process owns.
import fs from "node:fs";
import os from "node:os";
import { PidFd } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { koffiSyscalls } from "../../host/sys/koffi.js";
import { traceSyscalls } from "../../host/sys/trace.js";
import { kernelVersion } from "../../host/sys/simulated.js";
import { defineBehaviour } from "./behaviour.js";
import { spawnRealChild } from "./real_children.js";

defineBehaviour({
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
  inodeOf: (fd) => fs.fstatSync(fd, { bigint: true }).ino,
  closeFd: (fd) => fs.closeSync(fd),
  openFds: () => fs.readdirSync("/proc/self/fd").map(Number).filter((fd) => {
    try {
      return !fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith("/proc/");
    } catch {
      return false; // the directory listing's own fd, closed by now
    }
  }).sort((a, b) => a - b),
});
