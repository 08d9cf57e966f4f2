// A handle is 44 self-describing bytes (docs/api.md, "Identities that survive"): magic "PIDH",
// version 1, the pid, the boot id, then the pidfs file handle (FILEID_KERNFS, 8 bytes: the id).
// Anything else given to fromHandle() is a TypeError, never a syscall on made-up bytes.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";

describe("PidFd.toHandle()", () => {
  it("holds the magic, version, pid, boot id, handle type and id at their offsets", () => {
    using self = PidFd.self();
    const handle = self.toHandle();
    assert.equal(handle.length, 44);
    assert.equal(handle.toString("latin1", 0, 4), "PIDH");
    assert.equal(handle[4], 1);
    assert.deepEqual([...handle.subarray(5, 8)], [0, 0, 0]);
    assert.equal(handle.readUInt32LE(8), process.pid);
    const boot = fs.readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
    assert.equal(handle.toString("hex", 12, 28), boot.replaceAll("-", ""));
    assert.equal(handle.readInt32LE(28), 0xfe, "FILEID_KERNFS");
    assert.equal(handle.readUInt32LE(32), 8);
    assert.equal(handle.readBigUInt64LE(36), self.getId());
  });

  it("fromHandle: ERR_INVALID_ARG_TYPE for no bytes, ERR_INVALID_ARG_VALUE for bytes that are no handle", () => {
    using self = PidFd.self();
    const good = self.toHandle();
    for (const value of [undefined, "PIDH", 42, [1, 2], {}]) {
      assert.throws(() => PidFd.fromHandle(value as never), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
    }
    const altered = (at: number, byte: number): Buffer => {
      const copy = Buffer.from(good);
      copy[at] = byte;
      return copy;
    };
    const bad = [Buffer.alloc(0), good.subarray(0, 43), Buffer.concat([good, Buffer.alloc(1)]), altered(0, 0x51),
      altered(4, 2), altered(28, 0x01), altered(32, 16), Buffer.from(good).fill(0, 36, 44)];
    for (const bytes of bad) {
      assert.throws(() => PidFd.fromHandle(bytes), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE" });
    }
    using again = PidFd.fromHandle(new Uint8Array(good)); // any Uint8Array
    assert.equal(again.getId(), self.getId());
  });
});
