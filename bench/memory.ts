// The memory target: the core's linear memory must not grow, however many operations run.
import fs from "node:fs";
import { PidFd } from "../host/index.js";
import type { Core } from "../host/core.js";
import { kernelCore } from "../host/runtime.js";
import type { Fixtures } from "./fixtures.js";
import { nowNs } from "./harness.js";
import { asBind } from "./layers.js";

export interface MemoryResult {
  core: string;
  operations: number;
  bytesBefore: number;
  bytesAfter: number;
  seconds: number;
}

/** Runs `operations` operations (a mix of every kind) and reports the core's memory size around them. */
function watch(name: string, core: Core, operations: number, mix: (() => void)[]): MemoryResult {
  const bytesBefore = core.exports.memory.buffer.byteLength;
  const start = nowNs();
  for (let i = 0; i < operations; i++) mix[i % mix.length]!();
  return {
    core: name, operations, bytesBefore, bytesAfter: core.exports.memory.buffer.byteLength, seconds: (nowNs() - start) / 1e9,
  };
}

export function memoryChecks(fx: Fixtures, operations: number): MemoryResult[] {
  const self = fx.self;
  const pid = process.pid;
  const publicMix: (() => void)[] = [
    () => self.getPid(), () => self.getPpid(), () => self.getCreds(), () => self.getCgroupId(), () => self.getInfo(),
    () => self.getId(), () => self.isAlive(), () => fx.dead.isAlive(), () => self.sendSignal(0), () => fx.running.tryWait(),
    () => PidFd.open(pid).close(), () => fs.closeSync(self.getNamespace("pid")), () => fs.closeSync(self.getRemoteFd(fx.remoteTarget)),
    () => { try { fx.dead.sendSignal(0); } catch { /* ESRCH, expected */ } },
  ];
  const exports = asBind().exports;
  const fd = self.fd;
  const asBindMix: (() => void)[] = [
    () => exports.get_pid(fd), () => exports.get_info(fd, 0x7f), () => exports.send_signal(fd, 0, 0), () => exports.get_id(fd),
    () => exports.wait(fx.running.fd, 0x01000005),
  ];
  return [
    watch("default (raw loader), public API", kernelCore(), operations, publicMix),
    watch("as-bind loader, exports", asBind(), operations, asBindMix),
  ];
}
