// traceSyscalls: records and logs calls with decoded arguments and errno names; PIDFD_TRACE=1.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { PidFd } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";
import { requestNames, traceSyscalls } from "../../host/sys/trace.js";

describe("traceSyscalls", () => {
  it("logs each call strace-style and counts calls per method", () => {
    const sim = new SimulatedKernel({ level: "6.9" });
    const lines: string[] = [];
    let core: ReturnType<typeof loadCore> | undefined;
    const trace = traceSyscalls(sim, { log: (line) => lines.push(line), requestName: (r) => requestNames(core!.exports, 1)(r) });
    core = loadCore(trace);
    const pf = PidFd.on(core).open(sim.spawn().pid);
    assert.throws(() => pf.getCreds());
    pf.close();
    assert.deepEqual(lines.slice(0, 3), [
      "pidfd: pidfdOpen(1000, 0x0) = 3",
      "pidfd: ioctl(3, PIDFD_GET_INFO[80], buf[80]) = -25 ENOTTY",
      "pidfd: ioctl(3, PIDFD_GET_INFO[64], buf[64]) = -25 ENOTTY",
    ]);
    assert.equal(lines.at(-1), "pidfd: close(3) = 0");
    assert.deepEqual(trace.counts(), { pidfdOpen: 1, ioctl: 2, fstatfs: 1, close: 1 });
    assert.equal(trace.count(), 5);
    assert.deepEqual(trace.calls("ioctl").map((c) => c.result), [-25, -25]);
    trace.reset();
    assert.equal(trace.count(), 0);
  });

  it("PIDFD_TRACE=1 logs the default kernel's calls to stderr", () => {
    const script = `import("${new URL("../../host/index.js", import.meta.url).href}").then(({ PidFd }) => { const pf = PidFd.self(); pf.getPid(); pf.close(); })`;
    const run = (trace: string): string =>
      spawnSync(process.execPath, ["-e", script], { env: { ...process.env, PIDFD_TRACE: trace }, encoding: "utf8" }).stderr;
    assert.equal(run(""), "");
    const stderr = run("1");
    assert.match(stderr, /^pidfd: pidfdOpen\(\d+, 0x0\) = (\d+)$/m);
    assert.match(stderr, /^pidfd: ioctl\(\d+, PIDFD_GET_INFO\[80\], buf\[80\]\) = 0$/m);
  });
});
