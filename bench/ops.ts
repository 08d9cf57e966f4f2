// The synchronous operations, each in every system: ours (the public API), C and Python (the
// workers), plain Node (no library, no FFI), and raw koffi (the FFI floor).
import fs from "node:fs";
import { PidFd } from "../host/index.js";
import { checkDeadPid, type Fixtures } from "./fixtures.js";
import { loop, type Group, type Loop, type Variant } from "./harness.js";
import { publicLoops } from "./public_loops.js";
import {
  AT_EMPTY_PATH, ESRCH, INFO_SIZE, koffi, P_PIDFD, PIDFD_GET_INFO, PIDFD_GET_PID_NAMESPACE, raw, WEXITED, WNOHANG, WNOWAIT,
} from "./raw_koffi.js";
import type { Worker } from "./workers.js";

/** What the targets (issues 7 and 16) demand of an operation: ours / system must stay at or below these. */
export interface Targets {
  C?: number;
  /** Strictly below. */
  Python?: number;
  Node?: number;
  /** The FFI floor: raw koffi making the same syscalls. */
  koffi?: number;
}

export interface OpGroup extends Group {
  targets: Targets;
}

/** Keeps results alive so no loop body is dead code. */
let sink = 0;

const SYNC_TARGETS: Targets = { C: 1.3, Python: 1.0, koffi: 1.1 };

/**
 * Builds the operation groups; `workers` are the C and Python workers that started, `noop` the
 * no-op worker if it started. Column "no-op" is the public API on the no-op kernel: what the
 * library itself costs, without the syscalls (stable where the machine is noisy, so a regression
 * there is ours). It runs in a process of its own (bench/noop_worker.ts): here its core would
 * share the JIT's feedback with the real one (the same Lifecycle and import code called with two
 * backends), and "ours" would pay for call sites made polymorphic.
 */
export function operations(fx: Fixtures, workers: Worker[], noop: Worker | undefined): OpGroup[] {
  const ours = publicLoops({ ...fx, PidFd, closeFd: (fd) => fs.closeSync(fd) });
  const self = fx.self;
  const fd = self.fd;
  const pid = process.pid;
  const info = new Uint8Array(INFO_SIZE);
  const infoView = new DataView(info.buffer);
  const handle = new Uint8Array(8 + 128); // struct file_handle {handle_bytes, handle_type, f_handle[128]}
  const handleView = new DataView(handle.buffer);
  const mountId = new Int32Array(1);
  const siginfo = new Uint8Array(128);

  function rawInfo(mask: number, pidfd = fd): void {
    info.fill(0);
    info[0] = mask;
    if (raw.ioctl(pidfd, PIDFD_GET_INFO, info) < 0) throw new Error(`ioctl: errno ${koffi.errno()}`);
  }

  function nodeDeadProbe(): Loop {
    return (n) => {
      checkDeadPid(fx.deadPid);
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        try {
          process.kill(fx.deadPid, 0);
          throw new Error(`pid ${fx.deadPid} has been reused by another process`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
        }
      }
      return Number(process.hrtime.bigint() - start);
    };
  }

  /** /proc/<pid>/status as Node reads it, and the fields it gives. */
  function procStatus(): Record<string, string> {
    const text = fs.readFileSync(`/proc/${pid}/status`, "latin1");
    const fields: Record<string, string> = {};
    for (const line of text.split("\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
    return fields;
  }

  function procCgroupId(): bigint {
    const line = fs.readFileSync(`/proc/${pid}/cgroup`, "latin1").split("\n").find((l) => l.startsWith("0::"));
    return fs.statSync(`/sys/fs/cgroup${line!.slice(3)}`, { bigint: true }).ino;
  }

  const groups: { id: string; label: string; targets?: Targets; oursNote?: string; variants: Variant[] }[] = [
    {
      id: "open_close", label: "PidFd.open(self) + close",
      variants: [
        { system: "Node", missing: "Node has no pidfd" },
        { system: "koffi", run: loop(() => { raw.close(raw.pidfd_open(pid, 0)); }) },
      ],
    },
    {
      id: "alive_live", label: "isAlive() on a live process",
      variants: [
        { system: "Node", run: loop(() => { process.kill(pid, 0); }), note: "process.kill(pid, 0)" },
        { system: "koffi", run: loop(() => { raw.pidfd_send_signal(fd, 0, null, 0); }) },
      ],
    },
    {
      id: "alive_dead", label: "isAlive() on a dead process",
      oursNote: "after its first ESRCH a PidFd answers false without a syscall (death is final)",
      targets: { ...SYNC_TARGETS, Node: 0.1 },
      variants: [
        { system: "Node", run: nodeDeadProbe(), note: "try { process.kill(deadPid, 0) } catch {} (ESRCH)" },
        {
          system: "koffi",
          run: loop(() => { if (raw.pidfd_send_signal(fx.dead.fd, 0, null, 0) < 0 && koffi.errno() === ESRCH) sink++; }),
        },
      ],
    },
    {
      id: "signal_dead_throw", label: "sendSignal(0) to a dead process (throws)",
      targets: { ...SYNC_TARGETS, Node: 1.0 },
      variants: [
        { system: "Node", run: nodeDeadProbe(), note: "try { process.kill(deadPid, 0) } catch {} (ESRCH)" },
        { system: "koffi", missing: "no exceptions in raw koffi: see isAlive() on a dead process" },
      ],
    },
    {
      id: "send_signal0", label: "sendSignal(0) to self",
      variants: [
        { system: "Node", run: loop(() => { process.kill(pid, 0); }), note: "process.kill(pid, 0)" },
        { system: "koffi", run: loop(() => { raw.pidfd_send_signal(fd, 0, null, 0); }) },
      ],
    },
    {
      id: "get_pid", label: "getPid()",
      oursNote: "of our own process: read once (we cannot be reaped while we run); C, Python and koffi make the ioctl",
      targets: { ...SYNC_TARGETS, Node: 0.1 },
      variants: [
        {
          system: "Node",
          run: loop(() => { sink += Number(/^Pid:\s*(-?\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"))![1]); }),
          note: "fs.readFileSync('/proc/self/fdinfo/<fd>') + regex",
        },
        { system: "koffi", run: loop(() => { rawInfo(1); sink += infoView.getUint32(16, true); }) },
      ],
    },
    {
      id: "get_pid_child", label: "getPid() of a running child",
      oursNote: "the ioctl on every call: unlike our own process, a child may be reaped at any time",
      targets: { ...SYNC_TARGETS, Node: 0.1 },
      variants: [
        {
          system: "Node",
          run: loop(() => { sink += Number(/^Pid:\s*(-?\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fx.running.fd}`, "latin1"))![1]); }),
          note: "fs.readFileSync('/proc/self/fdinfo/<fd>') + regex",
        },
        { system: "koffi", run: loop(() => { rawInfo(1, fx.running.fd); sink += infoView.getUint32(16, true); }) },
      ],
    },
    {
      id: "get_ppid", label: "getPpid()",
      variants: [
        {
          system: "Node",
          run: loop(() => {
            const text = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
            sink += Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
          }),
          note: "fs.readFileSync('/proc/<pid>/stat'), 4th field",
        },
        { system: "koffi", run: loop(() => { rawInfo(1); sink += infoView.getUint32(24, true); }) },
      ],
    },
    {
      id: "get_id", label: "getId()",
      oursNote: "the pidfs file handle (name_to_handle_at); C and koffi do the same, Python has no name_to_handle_at (os.fstat().st_ino)",
      variants: [
        {
          system: "Node",
          run: loop(() => { sink += Number(fs.fstatSync(fd, { bigint: true }).ino & 1n); }),
          note: "fs.fstatSync(pidfd, {bigint: true}).ino",
        },
        {
          system: "koffi",
          run: loop(() => {
            handleView.setUint32(0, 128, true);
            if (raw.name_to_handle_at(fd, "", handle, mountId, AT_EMPTY_PATH) < 0) throw new Error(`name_to_handle_at: errno ${koffi.errno()}`);
            sink += Number(handleView.getBigUint64(8, true) & 1n);
          }),
          note: "name_to_handle_at(pidfd, \"\", AT_EMPTY_PATH): the pidfs file handle, as the core does",
        },
      ],
    },
    {
      id: "get_creds", label: "getCreds()",
      variants: [
        {
          system: "Node",
          run: loop(() => {
            const status = procStatus();
            const [ruid, euid, suid, fsuid] = status.Uid!.split(/\s+/).map(Number);
            const [rgid, egid, sgid, fsgid] = status.Gid!.split(/\s+/).map(Number);
            sink += ruid! + euid! + suid! + fsuid! + rgid! + egid! + sgid! + fsgid!;
          }),
          note: "fs.readFileSync('/proc/<pid>/status'), Uid:/Gid: lines",
        },
        {
          system: "koffi",
          run: loop(() => {
            rawInfo(2);
            for (let offset = 28; offset < 60; offset += 4) sink += infoView.getUint32(offset, true);
          }),
        },
      ],
    },
    {
      id: "get_cgroup_id", label: "getCgroupId()",
      variants: [
        {
          system: "Node",
          run: loop(() => { sink += Number(procCgroupId() & 1n); }),
          note: "read /proc/<pid>/cgroup, then fs.statSync('/sys/fs/cgroup/<path>').ino",
        },
        { system: "koffi", run: loop(() => { rawInfo(4); sink += Number(infoView.getBigUint64(8, true) & 1n); }) },
      ],
    },
    {
      id: "get_info", label: "getInfo()",
      variants: [
        {
          system: "Node",
          run: loop(() => {
            const status = procStatus();
            sink += Number(status.Pid) + Number(status.PPid) + Number(status.Tgid) + status.Uid!.length + status.Gid!.length;
            sink += Number(procCgroupId() & 1n);
          }),
          note: "/proc/<pid>/status (ids, creds) + the cgroup id as in getCgroupId()",
        },
        {
          system: "koffi",
          run: loop(() => {
            rawInfo(0x7f);
            for (let offset = 16; offset < 64; offset += 4) sink += infoView.getUint32(offset, true);
            sink += Number(infoView.getBigUint64(8, true) & 1n);
          }),
        },
      ],
    },
    {
      id: "get_namespace_close", label: "getNamespace('pid') + close", oursNote: "getNamespace('pid') + fs.closeSync",
      variants: [
        {
          system: "Node",
          run: loop(() => fs.closeSync(fs.openSync(`/proc/${pid}/ns/pid`, "r"))),
          note: "fs.openSync('/proc/<pid>/ns/pid') + fs.closeSync",
        },
        {
          system: "koffi", run: loop(() => fs.closeSync(raw.ioctl(fd, PIDFD_GET_PID_NAMESPACE, null))),
          note: "ioctl PIDFD_GET_PID_NAMESPACE through koffi + fs.closeSync, the close ours makes",
        },
      ],
    },
    {
      id: "try_wait_running", label: "tryWait() on a running child",
      variants: [
        { system: "Node", missing: "Node has no non-blocking wait (child.exitCode is event-loop state)" },
        {
          system: "koffi",
          run: loop(() => { siginfo.fill(0); raw.waitid(P_PIDFD, fx.running.fd, siginfo, WEXITED | WNOHANG | WNOWAIT); }),
        },
      ],
    },
    {
      id: "get_remote_fd_close", label: "getRemoteFd(n) + close", oursNote: "getRemoteFd(n) + fs.closeSync",
      variants: [
        {
          system: "Node",
          run: loop(() => fs.closeSync(fs.openSync(`/proc/${pid}/fd/${fx.remoteTarget}`, "r"))),
          note: "fs.openSync('/proc/<pid>/fd/<n>') + fs.closeSync (a reopen, not a dup)",
        },
        {
          system: "koffi", run: loop(() => fs.closeSync(raw.pidfd_getfd(fd, fx.remoteTarget, 0))),
          note: "pidfd_getfd through koffi + fs.closeSync, the close ours makes",
        },
      ],
    },
  ];

  return groups.map((group) => ({
    ...group,
    targets: group.targets ?? SYNC_TARGETS,
    variants: [
      { system: "ours", run: ours[group.id]!, note: group.oursNote },
      noop ? { system: "no-op", run: noop.loop(group.id) } : { system: "no-op", missing: "the no-op worker did not start" },
      ...workers.map((worker) => ({ system: worker.name, run: worker.loop(group.id) })),
      ...group.variants,
    ],
  }));
}
