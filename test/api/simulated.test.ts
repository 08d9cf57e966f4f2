// The behaviour suite against the simulated kernel at every level: one kernel per level, each
// core loaded separately (own memory and support cache).
import assert from "node:assert/strict";
import { PidFd, PidFdError } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { KERNEL_LEVELS, SimulatedKernel } from "../../host/sys/simulated.js";
import { traceSyscalls } from "../../host/sys/trace.js";
import { defineBehaviour } from "./behaviour.js";

for (const level of KERNEL_LEVELS) {
  const sim = new SimulatedKernel({ level });
  defineBehaviour({
    name: `the simulated kernel ${level}`,
    version: sim.version,
    selfPid: sim.self.pid,
    selfUid: sim.self.creds.ruid,
    newCore() {
      const trace = traceSyscalls(sim);
      const core = loadCore(trace);
      return { PidFd: PidFd.on(core), trace, core };
    },
    spawn() {
      const { pid } = sim.spawn();
      const live = (): boolean => sim.process(pid) !== undefined;
      return {
        pid,
        exit: async (code) => sim.exit(pid, { code }),
        reap: () => void sim.reap(pid),
        dispose() {
          if (sim.process(pid)?.state === "running") sim.exit(pid, { signal: 9 });
          if (live()) sim.reap(pid);
        },
      };
    },
    describeFd: (fd) => sim.describeFd(fd) ?? "(closed)",
    namespaceOf: (pid, type) => `${type}:[${sim.process(pid)!.namespaces[type as "net"]}]`,
    remoteFdOf: (pid, fd) => sim.process(pid)!.fds.get(fd) ?? "(closed)",
    inodeOf(fd) {
      const file = sim.file(fd);
      if (file?.kind !== "pidfd") throw new Error(`fd ${fd} is not a simulated pidfd`);
      return file.process.id;
    },
    closeFd: (fd) => void sim.close(fd),
    openFds: () => sim.openFds(),
  });
}

describe("waitAsync on a simulated kernel", () => {
  it("is refused (ENOTSUP): libuv could only poll a real fd with the same number", async () => {
    const kernel = new SimulatedKernel({ level: "6.18" });
    const SimPidFd = PidFd.on(loadCore(kernel));
    using pidfd = SimPidFd.open(kernel.spawn().pid);
    await assert.rejects(pidfd.waitAsync(), (error: PidFdError) => error.code === "ENOTSUP" && error.syscall === undefined
      && !("syscall" in error) && error.message.startsWith("ENOTSUP: operation not supported, waitAsync (waiting needs the real kernel"));
    await assert.rejects(pidfd.terminate({ timeout: 10 }), { code: "ENOTSUP" });
  });
});
