// The layer breakdown: one operation entered at each layer of the library, from the bare koffi
// call up to the public method, so that a regression shows in the layer that caused it.
//   koffi    the libc call through koffi, nothing else
//   backend  + host/sys/koffi.ts (the Syscalls wrapper: -errno)
//   imports  + host/imports.ts (bounds checks, views of the core's memory, guard)
//   core     + the Wasm core (raw exports, koffi backend): the request code, support cache, decode
//   as-bind  the same core instantiated through as-bind (loadCore(sys, {loader: "as-bind"}))
//   public   + host/pidfd.ts (PidFd.getPid of a child / isAlive on the default, raw-loaded core)
import { loadCore, type Core } from "../host/core.js";
import { kernelCore } from "../host/runtime.js";
import { koffiSyscalls } from "../host/sys/koffi.js";
import type { Fixtures } from "./fixtures.js";
import { loop, type Group } from "./harness.js";
import { INFO_SIZE, PIDFD_GET_INFO, raw } from "./raw_koffi.js";
import type { Worker } from "./workers.js";

export const LAYERS = ["koffi", "backend", "imports", "core", "as-bind", "public"] as const;

let sink = 0;

/** The as-bind-loaded core the breakdown uses (its memory is reported too). */
let asBindCore: Core | undefined;
export function asBind(): Core {
  return asBindCore ??= loadCore(koffiSyscalls(), { loader: "as-bind" });
}

export function layerGroups(fx: Fixtures, workers: Worker[]): Group[] {
  const fd = fx.self.fd;
  // getPid() by layer on a child: getPid() of our own process is read once, with no syscall.
  const childFd = fx.running.fd;
  const core = kernelCore();
  const sys = core.sys;
  const info = new Uint8Array(INFO_SIZE);
  const infoView = new DataView(info.buffer);
  const scratch = core.exports.scratch_ptr() >>> 0;

  return [
    {
      id: "floor_getpid", label: "getpid() (the bare syscall floor)",
      variants: [
        ...workers.map((worker) => ({ system: worker.name, run: worker.loop("getpid") })),
        { system: "koffi", run: loop(() => { sink += raw.getpid(); }) },
      ],
    },
    {
      id: "layers_get_pid", label: "getPid() of a child by layer",
      variants: [
        { system: "koffi", run: loop(() => { info[0] = 1; raw.ioctl(childFd, PIDFD_GET_INFO, info); sink += infoView.getUint32(16, true); }) },
        { system: "backend", run: loop(() => { info[0] = 1; sys.ioctl(childFd, PIDFD_GET_INFO, info); sink += infoView.getUint32(16, true); }) },
        {
          system: "imports",
          run: loop(() => {
            const view = core.view;
            view.setUint32(scratch, 1, true); // the mask; the kernel fills in the rest
            core.imports.ioctl(childFd, PIDFD_GET_INFO, scratch, INFO_SIZE);
            sink += view.getUint32(scratch + 16, true);
          }),
        },
        { system: "core", run: loop(() => { sink += core.exports.get_pid(childFd); }) },
        { system: "as-bind", run: loop(() => { sink += asBind().exports.get_pid(childFd); }) },
        { system: "public", run: loop(() => { sink += fx.running.getPid(); }) },
      ],
    },
    {
      id: "layers_is_alive", label: "isAlive() by layer",
      variants: [
        { system: "koffi", run: loop(() => { sink += raw.pidfd_send_signal(fd, 0, null, 0); }) },
        { system: "backend", run: loop(() => { sink += sys.pidfdSendSignal(fd, 0, null, 0); }) },
        { system: "imports", run: loop(() => { sink += core.imports.pidfd_send_signal(fd, 0, 0, 0, 0); }) },
        { system: "core", run: loop(() => { sink += core.exports.send_signal(fd, 0, 0); }) },
        { system: "as-bind", run: loop(() => { sink += asBind().exports.send_signal(fd, 0, 0); }) },
        { system: "public", run: loop(() => { sink += fx.self.isAlive() ? 1 : 0; }) },
      ],
    },
  ];
}
