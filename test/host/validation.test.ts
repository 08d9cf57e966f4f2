// Bad input gets a clear error; nothing crashes, hangs or leaks an fd.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFd, PidFdError } from "../../host/index.js";
import { coreModule, type Syscalls } from "../../host/embed.js";
import { createHostImports, HOST_IMPORT_NAMES } from "../../host/imports.js";
import { noSyscalls } from "../../host/sys/syscalls.js";
import { openFds, spawnShell, exitOf, UNTIL_KILLED } from "../util.js";

function isPidFdError(code: string, syscall?: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof PidFdError, `expected a PidFdError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (syscall) assert.equal(error.syscall, syscall);
    assert.ok(error.errno < 0, "errno is negative, as in Node's SystemError");
    assert.match(error.message, new RegExp(`^${code}: `));
    return true;
  };
}

describe("bad input", () => {
  it("pids that are not positive 32-bit integers: RangeError / TypeError", () => {
    for (const pid of [0, -1, -4242, 1.5, NaN, Infinity, 2 ** 31]) {
      assert.throws(() => PidFd.open(pid), { name: "RangeError", code: "ERR_OUT_OF_RANGE" }, String(pid));
    }
    for (const pid of ["12", null, undefined, 12n, {}]) {
      assert.throws(() => PidFd.open(pid as unknown as number), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" }, String(pid));
    }
  });

  it("a pid that names no process: ESRCH from pidfd_open", () => {
    // pid_max is at most 2^22: a pid above it can never exist.
    assert.throws(() => PidFd.open(2 ** 22 + 1), isPidFdError("ESRCH", "pidfd_open"));
  });

  it("an expected id that does not match: ESRCH, and the pidfd is not leaked", () => {
    const before = openFds().length;
    using self = PidFd.self();
    assert.throws(() => PidFd.open(process.pid, { id: self.getId() + 1n }), isPidFdError("ESRCH", "pidfd_open"));
    assert.throws(() => PidFd.open(process.pid, { id: 5 as unknown as bigint }), TypeError);
    using same = PidFd.open(process.pid, { id: self.getId() });
    assert.equal(same.getPid(), process.pid);
    assert.equal(openFds().length, before + 2);
  });

  it("fromFd: a file that is no pidfd, a closed fd, a bad number", () => {
    const file = fs.openSync("/proc/self/status", "r");
    try {
      assert.throws(() => PidFd.fromFd(file), isPidFdError("EBADF"));
    } finally {
      fs.closeSync(file);
    }
    assert.throws(() => PidFd.fromFd(file), isPidFdError("EBADF"));
    assert.throws(() => PidFd.fromFd(-1), RangeError);
    assert.throws(() => PidFd.fromFd("3" as unknown as number), TypeError);
  });

  it("fromFd adopts a pidfd once; a second owner is refused", () => {
    using self = PidFd.self();
    assert.throws(() => PidFd.fromFd(self.fd), isPidFdError("EBUSY"));
    assert.equal(self.getPid(), process.pid, "the first owner still works");
  });

  it("signals: unknown names TypeError, numbers outside 0..64 RangeError", () => {
    using self = PidFd.self();
    for (const signal of ["SIGFOO", "", "TERMINATE", "SIG"]) {
      assert.throws(() => self.sendSignal(signal as NodeJS.Signals), { name: "TypeError", code: "ERR_UNKNOWN_SIGNAL" });
    }
    for (const signal of [-1, 65, 1.5, NaN]) {
      assert.throws(() => self.sendSignal(signal), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
    }
    assert.throws(() => self.sendSignal("SIGTERM", { scope: "galaxy" as "thread" }), TypeError);
  });

  it("namespaces and remote fds: unknown types TypeError, bad fd numbers RangeError", () => {
    using self = PidFd.self();
    assert.throws(() => self.getNamespace("bogus" as "net"), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE" });
    assert.throws(() => self.setNamespace([]), TypeError);
    assert.throws(() => self.setNamespace(["uts", "nope" as "uts"]), TypeError);
    assert.throws(() => self.getRemoteFd(-1), RangeError);
    assert.throws(() => self.getRemoteFd(2 ** 31), RangeError);
  });

  it("setNamespace into our own namespaces succeeds (setns with a pidfd)", () => {
    using self = PidFd.self();
    const before = fs.statSync("/proc/self/ns/uts").ino;
    self.setNamespace(["uts", "ipc", "net", "cgroup"]);
    assert.equal(fs.statSync("/proc/self/ns/uts").ino, before);
  });
});

describe("after close()", () => {
  it("every method throws EBADF without touching the fd number, which may belong to another file", () => {
    const pidfd = PidFd.self();
    const number = pidfd.fd;
    pidfd.close();
    assert.equal(pidfd.fd, -1);
    assert.equal(pidfd.closed, true);
    const reused = fs.openSync("/proc/self/status", "r"); // takes the lowest free number
    try {
      assert.equal(reused, number, "the number was reused");
      const calls: [string, () => unknown][] = [
        ["getPid", () => pidfd.getPid()], ["getPpid", () => pidfd.getPpid()], ["getId", () => pidfd.getId()],
        ["getCreds", () => pidfd.getCreds()], ["getCgroupId", () => pidfd.getCgroupId()], ["getInfo", () => pidfd.getInfo()],
        ["getNamespace", () => pidfd.getNamespace("net")], ["setNamespace", () => pidfd.setNamespace("uts")],
        ["accessProc", () => pidfd.accessProc(() => 1)], ["sendSignal", () => pidfd.sendSignal(0)], ["kill", () => pidfd.kill()],
        ["isAlive", () => pidfd.isAlive()], ["getRemoteFd", () => pidfd.getRemoteFd(0)], ["wait", () => pidfd.wait()],
        ["tryWait", () => pidfd.tryWait()],
      ];
      for (const [name, call] of calls) assert.throws(call, isPidFdError("EBADF"), name);
      pidfd.close(); // twice: nothing happens
      assert.ok(fs.fstatSync(reused).isFile(), "the other file is still open");
    } finally {
      fs.closeSync(reused);
    }
  });
});

describe("no fd leaks", () => {
  it("10,000 open/getInfo/close cycles leave /proc/self/fd unchanged", () => {
    const before = openFds();
    for (let i = 0; i < 10_000; i++) {
      const pidfd = PidFd.self();
      pidfd.getInfo();
      pidfd.close();
    }
    assert.deepEqual(openFds(), before);
  });

  it("failing calls leave no fd behind", async () => {
    const child = await spawnShell(UNTIL_KILLED);
    using pidfd = PidFd.open(child.pid!);
    pidfd.kill();
    await exitOf(child);
    const before = openFds();
    for (let i = 0; i < 1000; i++) {
      assert.throws(() => pidfd.getNamespace("net"), isPidFdError("ESRCH"));
      assert.throws(() => pidfd.getRemoteFd(0), isPidFdError("ESRCH"));
      assert.throws(() => PidFd.open(2 ** 22 + 1), isPidFdError("ESRCH"));
    }
    assert.deepEqual(openFds(), before);
  });
});

describe("the pidfd_host imports: bounds checks", () => {
  const EFAULT = -14;
  /** A backend that records whether it was called. */
  function recording(): { sys: Syscalls; calls: string[] } {
    const calls: string[] = [];
    const sys = Object.fromEntries(Object.entries(noSyscalls).map(([name, fn]) =>
      [name, (...args: unknown[]) => { calls.push(name); return (fn as (...a: unknown[]) => number)(...args); }])) as unknown as Syscalls;
    return { sys, calls };
  }

  it("every pointer import returns -EFAULT for a range outside memory and never calls the backend", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { sys, calls } = recording();
    const imports = createHostImports(() => memory, sys);
    const end = memory.buffer.byteLength;
    for (const [ptr, len] of [[end, 1], [end - 10, 200], [0xffffffff, 4], [-1, 4], [end - 4, 0xffffffff]]) {
      assert.equal(imports.waitid(3, 5, ptr!, Math.max(len!, 128), 4), EFAULT);
      assert.equal(imports.ioctl(5, 0xc050ff0b, ptr!, len!), EFAULT);
      assert.equal(imports.fstat(5, ptr!, Math.max(len!, 144)), EFAULT);
      assert.equal(imports.fstatfs(5, ptr!, Math.max(len!, 120)), EFAULT);
      assert.equal(imports.read_fdinfo(5, ptr!, len!), EFAULT);
      assert.equal(imports.name_to_handle_at(5, ptr!, len!, 0, 136, 200, 0x1000), EFAULT);
      assert.equal(imports.name_to_handle_at(5, 0, 1, ptr!, Math.max(len!, 8), 200, 0x1000), EFAULT);
      if (ptr! >>> 0 > end - 4) assert.equal(imports.name_to_handle_at(5, 0, 1, 8, 136, ptr!, 0x1000), EFAULT);
    }
    // Buffers too small for what the kernel writes.
    assert.equal(imports.waitid(3, 5, 0, 64, 4), EFAULT);
    assert.equal(imports.fstat(5, 0, 100), EFAULT);
    assert.equal(imports.fstatfs(5, 0, 100), EFAULT);
    // A path without its NUL, and a handle_bytes larger than the buffer.
    new Uint8Array(memory.buffer).fill(1, 0, 16);
    assert.equal(imports.name_to_handle_at(5, 0, 16, 64, 136, 300, 0x1000), EFAULT);
    new DataView(memory.buffer).setUint32(64, 129, true);
    new Uint8Array(memory.buffer)[0] = 0;
    assert.equal(imports.name_to_handle_at(5, 0, 16, 64, 136, 300, 0x1000), EFAULT);
    assert.deepEqual(calls, []);
  });

  it("a length of 0 passes NULL; a backend that throws gives -EIO, never an exception into Wasm", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    let seen: unknown = "unset";
    const sys = { ...noSyscalls, ioctl: (_fd: number, _req: number, arg: Uint8Array | null) => { seen = arg; return 0; }, close: () => { throw new Error("boom"); } };
    const imports = createHostImports(() => memory, sys);
    assert.equal(imports.ioctl(5, 0xff04, 12345, 0), 0);
    assert.equal(seen, null);
    assert.equal(imports.close(5), -5);
  });

  it("views follow the memory when it grows", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    let length = -1;
    const sys = { ...noSyscalls, readFdinfo: (_fd: number, buf: Uint8Array) => { length = buf.length; return 0; } };
    const imports = createHostImports(() => memory, sys);
    assert.equal(imports.read_fdinfo(1, 65536, 16), EFAULT);
    memory.grow(1);
    assert.equal(imports.read_fdinfo(1, 65536, 16), 0);
    assert.equal(length, 16);
  });

  it("the import list is what the core imports", () => {
    const declared = WebAssembly.Module.imports(coreModule());
    assert.deepEqual(declared.map((entry) => `${entry.module}.${entry.name}`).sort(), HOST_IMPORT_NAMES.map((name) => `pidfd_host.${name}`).sort());
  });
});
