// The simulated kernel's raw syscalls: the same calls as on the real kernel give the same
// answers (at 6.18), and the per-level differences the core's fallbacks depend on.
import assert from "node:assert/strict";
import { loadCore } from "../../host/core.js";
import { decodeSiginfo } from "../../host/embed.js";
import { koffiSyscalls } from "../../host/sys/koffi.js";
import { SimulatedKernel } from "../../host/sys/simulated.js";
import { noSyscalls, type Syscalls } from "../../host/sys/syscalls.js";
import { spawnRealChild } from "../api/real_children.js";

const codes = loadCore(noSyscalls).exports; // request codes come from the core
const X86_64 = 1;
const GET_INFO = (size: number): number => codes.get_info_request(X86_64, size) >>> 0;
const GET_NET_NAMESPACE = codes.namespace_request(X86_64, 4) >>> 0;
const WEXITED = 4, WNOHANG = 1, P_PIDFD = 3;
const EBADF = -9, EINVAL = -22, ENOTTY = -25, ECHILD = -10, EAGAIN = -11, ESRCH = -3;

/** A 128-byte siginfo_t (x86_64) with `signo` and `code`, the rest 0. */
function siginfoOf(signo: number, code: number): Uint8Array {
  const bytes = new Uint8Array(128);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, signo, true);
  view.setInt32(8, code, true);
  return bytes;
}

/** A sequence of raw calls on a backend with a running child; fds become "fd" so the runs compare. */
function script(sys: Syscalls, pid: number): (number | string)[] {
  const out: (number | string)[] = [];
  const fd = sys.pidfdOpen(pid, 0);
  const note = (rc: number): void => void out.push(rc >= 3 ? "fd" : rc);
  note(fd);
  note(sys.pidfdOpen(pid, 0x1));
  note(sys.pidfdOpen(-1, 0));
  note(sys.ioctl(fd, GET_INFO(56), new Uint8Array(56)));
  note(sys.ioctl(fd, GET_INFO(64), new Uint8Array(64)));
  note(sys.ioctl(fd, GET_INFO(64), null));
  note(sys.ioctl(fd, (GET_INFO(64) & 0xffffff00) | 12, new Uint8Array(64)));
  note(sys.ioctl(fd, GET_NET_NAMESPACE, new Uint8Array(8)));
  const ns = sys.ioctl(fd, GET_NET_NAMESPACE, null);
  note(ns);
  note(sys.ioctl(ns, GET_INFO(64), new Uint8Array(64)));
  note(sys.close(ns));
  note(sys.pidfdSendSignal(fd, 0, null, 8));
  note(sys.pidfdSendSignal(fd, 0, null, 3));
  note(sys.pidfdSendSignal(fd, 65, null, 0));
  note(sys.pidfdSendSignal(fd, 0, null, 0));
  note(sys.pidfdSendSignal(fd, 0, siginfoOf(0, -1), 0)); // SI_QUEUE: allowed to another process
  note(sys.pidfdSendSignal(fd, 0, siginfoOf(0, 0), 0)); // SI_USER from userspace: only to itself (EPERM)
  note(sys.pidfdSendSignal(fd, 0, siginfoOf(10, -1), 0)); // si_signo is not the signal (EINVAL)
  note(sys.processMrelease(fd, 0)); // a running process is not exiting (EINVAL)
  note(sys.processMrelease(fd, 1));
  note(sys.pidfdGetfd(fd, 0, 1));
  note(sys.waitid(P_PIDFD, fd, new Uint8Array(128), 0));
  const info = new Uint8Array(128).fill(0xee);
  note(sys.waitid(P_PIDFD, fd, info, WEXITED | WNOHANG));
  out.push(info.subarray(0, 28).join(","));
  note(sys.close(fd));
  note(sys.close(fd));
  note(sys.pidfdSendSignal(fd, 0, null, 0));
  return out;
}

describe("SimulatedKernel", () => {
  it("at 6.18 answers a sequence of raw syscalls exactly as the real kernel does", () => {
    const child = spawnRealChild();
    let real: (number | string)[];
    try {
      real = script(koffiSyscalls(), child.pid);
    } finally {
      child.dispose();
    }
    const sim = new SimulatedKernel({ level: "6.18" });
    assert.deepEqual(script(sim, sim.spawn().pid), real);
    assert.deepEqual(real.slice(0, 8), ["fd", EINVAL, EINVAL, ENOTTY, 0, EINVAL, ENOTTY, EINVAL]);
  });

  it("6.13-6.17 answer a GET_INFO smaller than 64 bytes with EINVAL, 6.18 with ENOTTY, older kernels ENOTTY", () => {
    const answer = (level: string): number => {
      const sim = new SimulatedKernel({ level });
      return sim.ioctl(sim.pidfdOpen(sim.spawn().pid, 0), GET_INFO(56), new Uint8Array(56));
    };
    assert.deepEqual(["6.11", "6.13", "6.15", "6.18"].map(answer), [ENOTTY, EINVAL, EINVAL, ENOTTY]);
  });

  it("copies min(size, the kernel's size) of struct pidfd_info and zero-fills the rest", () => {
    for (const [level, ksize] of [["6.13", 64], ["6.18", 72]] as const) {
      const sim = new SimulatedKernel({ level });
      const fd = sim.pidfdOpen(sim.spawn().pid, 0);
      const buf = new Uint8Array(96).fill(0xee);
      buf.fill(0, 0, 8);
      buf[0] = 0x1f; // PID|CREDS|CGROUPID|EXIT|COREDUMP
      assert.equal(sim.ioctl(fd, GET_INFO(88), buf), 0);
      const info = new DataView(buf.buffer);
      assert.equal(info.getUint32(0, true), ksize === 72 ? 0x17 : 0x7, level);
      assert.ok(buf.subarray(ksize === 72 ? 68 : 60, 88).every((b) => b === 0), `${level}: zero-filled`);
      assert.ok(buf.subarray(88).every((b) => b === 0xee), `${level}: nothing past the size`);
    }
  });

  it("waitid: ECHILD for a non-child and after the reap, EAGAIN on a non-blocking pidfd, EINVAL before 5.4", () => {
    const sim = new SimulatedKernel({ level: "6.18" });
    const stranger = sim.pidfdOpen(sim.spawn({ parent: 1 }).pid, 0);
    assert.equal(sim.waitid(P_PIDFD, stranger, new Uint8Array(128), WEXITED), ECHILD);
    const child = sim.spawn();
    const nonblocking = sim.pidfdOpen(child.pid, 0x800);
    assert.equal(sim.waitid(P_PIDFD, nonblocking, new Uint8Array(128), WEXITED), EAGAIN);
    sim.exit(child.pid, { code: 5 });
    const info = new Uint8Array(128);
    assert.equal(sim.waitid(P_PIDFD, nonblocking, info, WEXITED), 0);
    assert.equal(decodeSiginfo(info)?.code, 5);
    assert.equal(sim.waitid(P_PIDFD, nonblocking, info, WEXITED), ECHILD);
    assert.equal(sim.pidfdSendSignal(nonblocking, 0, null, 0), ESRCH);
    const old = new SimulatedKernel({ level: "5.3" });
    assert.equal(old.waitid(P_PIDFD, old.pidfdOpen(old.spawn().pid, 0), new Uint8Array(128), WEXITED), EINVAL);
    assert.equal(old.pidfdSendSignal(99, 0, null, 0), EBADF);
  });

  it("fdinfo before 5.10 keeps the pid of a reaped process; from 5.10 it shows -1", () => {
    for (const [level, shown] of [["5.6", "1000"], ["5.10", "-1"]] as const) {
      const sim = new SimulatedKernel({ level });
      const pid = sim.spawn().pid;
      const fd = sim.pidfdOpen(pid, 0);
      sim.exit(pid, { signal: 9 });
      sim.reap(pid);
      const buf = new Uint8Array(256);
      const text = new TextDecoder().decode(buf.subarray(0, sim.readFdinfo(fd, buf)));
      assert.match(text, new RegExp(`^Pid:\\t${shown}$`, "m"), level);
    }
  });
});
