// One answer per input (docs/abi.md): a pidfd-only export answers a file that is no pidfd with
// the same -EBADF whatever the support cache holds: asked first on a fresh core, then again once
// a real pidfd has filled the cache (supported or not).
import assert from "node:assert/strict";
import { loadCore } from "../../host/core.js";
import { EBADF } from "../../host/errno.js";
import { NS_UTS, PIDFD_INFO_PID } from "../../host/constants.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";

const LEVELS = ["5.3", "6.9", "6.11", "6.13", "6.18"] as const;

/** Every export that takes an fd and works on pidfds only, called on `fd`. */
const PIDFD_ONLY: Record<string, (x: ReturnType<typeof loadCore>["exports"], fd: number) => number> = {
  get_info: (x, fd) => x.get_info(fd, PIDFD_INFO_PID),
  get_pid: (x, fd) => x.get_pid(fd),
  get_ppid: (x, fd) => x.get_ppid(fd),
  get_id: (x, fd) => x.get_id(fd),
  get_namespace: (x, fd) => x.get_namespace(fd, NS_UTS),
};

for (const level of LEVELS) {
  describe(`one answer per input on the simulated kernel ${level}`, () => {
    for (const [name, call] of Object.entries(PIDFD_ONLY)) {
      it(`${name} on a pipe is EBADF before and after the support cache is filled`, () => {
        const sim = new SimulatedKernel({ level });
        const core = loadCore(sim);
        const pipe = sim.openFile("pipe:[1]");
        const before = call(core.exports, pipe);
        const pidfd = core.exports.open(sim.spawn().pid, 0);
        assert.ok(pidfd >= 0);
        call(core.exports, pidfd); // learns whether the kernel has the feature
        const cached = [0, 1, 2, 3, 4, 5].map((feature) => core.exports.support(feature));
        assert.ok(cached.some((state) => state !== 0), `${name} filled no support entry`);
        assert.equal(before, -EBADF, `${name} before`);
        assert.equal(call(core.exports, pipe), -EBADF, `${name} after (cache ${cached})`);
      });
    }
  });
}
