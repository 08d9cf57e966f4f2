// struct pidfd_info decoding (every version) and fdinfo parsing, from bytes and text built here.
import assert from "node:assert/strict";
import { decodePidfdInfo, parseFdinfo } from "../../host/embed.js";

/** A struct pidfd_info of `size` bytes with every field set to a distinct value. */
function pidfdInfo(size: number, mask: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(mask), true);
  view.setBigUint64(8, 0x1234_5678_9abc_def0n, true); // cgroupid
  [100, 101, 50].forEach((value, index) => view.setUint32(16 + index * 4, value, true)); // pid tgid ppid
  for (let i = 0; i < 8; i++) view.setUint32(28 + i * 4, 1000 + i, true); // ruid..fsgid
  view.setInt32(60, 9 << 8, true); // exit_code
  if (size >= 72) {
    view.setUint32(64, 1, true); // coredump_mask: PIDFD_COREDUMPED
    view.setUint32(68, 11, true); // coredump_signal
  }
  if (size >= 80) view.setBigUint64(72, 0x7fn, true); // supported_mask
  return bytes;
}

describe("struct pidfd_info (core)", () => {
  it("VER0 (64 bytes): ids, creds, cgroup, exit status by mask", () => {
    const info = decodePidfdInfo(pidfdInfo(64, 0b1111));
    assert.equal(info.mask, 0b1111);
    assert.equal(info.pid, 100);
    assert.equal(info.tgid, 101);
    assert.equal(info.ppid, 50);
    assert.deepEqual(info.creds, { ruid: 1000, rgid: 1001, euid: 1002, egid: 1003, suid: 1004, sgid: 1005, fsuid: 1006, fsgid: 1007 });
    assert.equal(info.cgroupId, 0x1234_5678_9abc_def0n);
    assert.equal(info.exit?.code, 9);
    assert.equal(info.coredump, null);
  });

  it("fields whose mask bit is clear are null", () => {
    const info = decodePidfdInfo(pidfdInfo(64, 0b1100)); // CGROUPID | EXIT: a reaped process
    assert.equal(info.pid, null);
    assert.equal(info.creds, null);
    assert.equal(info.cgroupId, 0x1234_5678_9abc_def0n);
    assert.equal(info.exit?.raw, 9 << 8);
  });

  it("VER1 (72 bytes): coredump mask and its named flags, and the signal when COREDUMP_SIGNAL is set", () => {
    const flags = { dumped: true, skipped: false, user: false, root: false };
    assert.deepEqual(decodePidfdInfo(pidfdInfo(72, 0b10111)).coredump, { mask: 1, ...flags, signal: null });
    assert.deepEqual(decodePidfdInfo(pidfdInfo(72, 0b1010111)).coredump, { mask: 1, ...flags, signal: 11 });
  });

  it("each PIDFD_COREDUMP_* bit is its own flag (COREDUMPED 1, SKIP 2, USER 4, ROOT 8)", () => {
    const decode = (mask: number) => {
      const bytes = pidfdInfo(72, 0b10111);
      new DataView(bytes.buffer).setUint32(64, mask, true);
      return decodePidfdInfo(bytes).coredump;
    };
    assert.deepEqual(decode(1 | 4), { mask: 5, dumped: true, skipped: false, user: true, root: false, signal: null });
    assert.deepEqual(decode(1 | 8), { mask: 9, dumped: true, skipped: false, user: false, root: true, signal: null });
    assert.deepEqual(decode(2), { mask: 2, dumped: false, skipped: true, user: false, root: false, signal: null });
    assert.deepEqual(decode(0), { mask: 0, dumped: false, skipped: false, user: false, root: false, signal: null });
  });

  it("VER2 (80 bytes): supported mask", () => {
    assert.equal(decodePidfdInfo(pidfdInfo(80, 0b100111)).supportedMask, 0x7f);
    assert.equal(decodePidfdInfo(pidfdInfo(80, 0b111)).supportedMask, null);
  });

  it("a 64-byte struct never reports the later fields, whatever the mask says", () => {
    const info = decodePidfdInfo(pidfdInfo(64, 0b1110111));
    assert.deepEqual(info.coredump, { mask: 0, dumped: false, skipped: false, user: false, root: false, signal: 0 });
  });

  it("rejects a struct shorter than VER0", () => {
    assert.throws(() => decodePidfdInfo(new Uint8Array(63)), RangeError);
    assert.throws(() => decodePidfdInfo("x" as unknown as Uint8Array), TypeError);
  });
});

describe("fdinfo parsing (core)", () => {
  const text = (pid: string, nspid?: string): string =>
    `pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t1057\nPid:\t${pid}\n${nspid === undefined ? "" : `NSpid:\t${nspid}\n`}`;

  it("a live process: Pid and NSpid", () => {
    assert.deepEqual(parseFdinfo(text("4242", "4242")), { pid: 4242, nspidDepth: 1, nspidInner: 4242 });
  });
  it("nested pid namespaces: the innermost NSpid entry", () => {
    assert.deepEqual(parseFdinfo(text("4242", "4242\t17\t1")), { pid: 4242, nspidDepth: 3, nspidInner: 1 });
  });
  it("a reaped process: -1", () => {
    assert.deepEqual(parseFdinfo(text("-1", "-1")), { pid: -1, nspidDepth: 1, nspidInner: -1 });
  });
  it("outside our pid namespace: 0", () => {
    assert.equal(parseFdinfo(text("0", "0"))?.pid, 0);
  });
  it("no NSpid line (no CONFIG_PID_NS)", () => {
    assert.deepEqual(parseFdinfo(text("7")), { pid: 7, nspidDepth: 0, nspidInner: 0 });
  });
  it("not a pidfd's fdinfo: null", () => {
    assert.equal(parseFdinfo("pos:\t0\nflags:\t02\nmnt_id:\t1\nino:\t5\n"), null);
    assert.equal(parseFdinfo(""), null);
    assert.equal(parseFdinfo("NSpid:\t5\n"), null, "NSpid: is not Pid:");
  });
  it("a malformed or overflowing Pid is not taken", () => {
    assert.equal(parseFdinfo("Pid:\tabc\n"), null);
    assert.equal(parseFdinfo("Pid:\t99999999999\n"), null);
  });
  it("matches the kernel's fdinfo of a real pidfd", async () => {
    const { PidFd } = await import("../../host/index.js");
    const fs = await import("node:fs");
    using self = PidFd.self();
    const parsed = parseFdinfo(fs.readFileSync(`/proc/self/fdinfo/${self.fd}`));
    assert.equal(parsed?.pid, process.pid);
    assert.equal(parsed?.nspidInner, process.pid);
  });
});

describe("struct epoll_event (core)", () => {
  for (const [arch, size] of [["x64", 12], ["ia32", 12], ["arm64", 16], ["riscv64", 16]] as const) {
    it(`${arch}: ${size} bytes; encode, and decode in place as (fd, events) pairs`, async () => {
      const { loadCore } = await import("../../host/embed.js");
      const { noSyscalls } = await import("../../host/sys/syscalls.js");
      const core = loadCore(noSyscalls, { arch });
      assert.equal(core.exports.epoll_event_size(), size);
      assert.equal(core.exports.encode_epoll_event(0x11, 42), size);
      const encoded = new DataView(core.scratch(size).slice().buffer);
      assert.equal(encoded.getUint32(0, true), 0x11);
      assert.equal(encoded.getBigUint64(size - 8, true), 42n);
      // Three events as epoll_wait would write them, then decoded.
      const events = new DataView(new ArrayBuffer(3 * size));
      [[7, 0x1], [8, 0x10], [2147483647, 0x19]].forEach(([fd, mask], i) => {
        events.setUint32(i * size, mask!, true);
        events.setBigUint64(i * size + size - 8, BigInt(fd!), true);
      });
      core.scratch(3 * size).set(new Uint8Array(events.buffer));
      assert.equal(core.exports.decode_epoll_events(3), 3);
      assert.deepEqual([...new Int32Array(core.scratch(24).slice().buffer)], [7, 0x1, 8, 0x10, 2147483647, 0x19]);
      assert.ok(core.exports.decode_epoll_events(100_000) < 0, "more than the scratch area holds: ERANGE");
    });
  }
});

describe("fdinfo of any fd (core)", () => {
  it("flags (octal) and pos", async () => {
    const { parseFdinfoCommon } = await import("../../host/embed.js");
    assert.deepEqual(parseFdinfoCommon("pos:\t12345\nflags:\t02100002\nmnt_id:\t15\nino:\t7\n"), { flags: 0o2100002, pos: 12345n });
    assert.deepEqual(parseFdinfoCommon("pos:\t9007199254740993\nflags:\t0\n"), { flags: 0, pos: 9007199254740993n });
    assert.equal(parseFdinfoCommon("flags:\t02\n"), null, "no pos line");
    assert.equal(parseFdinfoCommon("pos:\t0\nflags:\t089\n")?.flags, 0, "octal stops at 8");
    assert.equal(parseFdinfoCommon("pos:\t99999999999999999999\nflags:\t0\n"), null, "does not fit");
  });
  it("matches fcntl's view of a real fd", async () => {
    const { parseFdinfoCommon } = await import("../../host/embed.js");
    const fs = await import("node:fs");
    const fd = fs.openSync("/proc/self/status", fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      fs.readSync(fd, Buffer.alloc(10), 0, 10, null);
      const info = parseFdinfoCommon(fs.readFileSync(`/proc/self/fdinfo/${fd}`));
      assert.equal(info?.pos, 10n);
      assert.ok(info!.flags & fs.constants.O_NONBLOCK);
      assert.ok(info!.flags & 0o2000000, "O_CLOEXEC: libuv opens every file close-on-exec");
    } finally {
      fs.closeSync(fd);
    }
  });
});
