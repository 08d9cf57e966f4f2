// Request codes per architecture: against the kernel's _IOC formula, written out here, and
// against this machine's C headers when a compiler is present.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NAMESPACE_TYPES, type NamespaceType } from "../../host/index.js";
import { ioc, io, ior, iow, iowr, namespaceRequest, pidfdGetInfoRequest } from "../../host/embed.js";

/** include/uapi/asm-generic/ioctl.h, or the powerpc/mips/sparc/alpha variant. */
function kernelIoc(legacy: boolean, dir: number, type: number, nr: number, size: number): number {
  if (legacy) {
    const legacyDir = dir === 0 ? 1 : ((dir & 2 ? 2 : 0) | (dir & 1 ? 4 : 0));
    return ((legacyDir << 29) | (size << 16) | (type << 8) | nr) >>> 0;
  }
  return ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
}

const GENERIC = ["x64", "arm64", "riscv64", "s390x", "loong64", "ia32", "arm"];
const LEGACY = ["ppc64", "ppc", "mips64el", "mips", "sparc64", "alpha"];
const namespaceTypes = Object.keys(NAMESPACE_TYPES) as NamespaceType[];

describe("ioctl request codes (core)", () => {
  for (const arch of [...GENERIC, ...LEGACY]) {
    const legacy = LEGACY.includes(arch);
    it(`${arch}: _IOC family, the ten namespace ioctls and PIDFD_GET_INFO`, () => {
      for (const [dir, type, nr, size] of [[0, 0xff, 1, 0], [1, 0x12, 7, 8], [2, 0xab, 0xcd, 100], [3, 0xff, 11, 64], [3, 1, 2, 0x1fff]] as const) {
        assert.equal(ioc(dir, type, nr, size, arch), kernelIoc(legacy, dir, type, nr, size), `${dir} ${type} ${nr} ${size}`);
      }
      assert.equal(io(0xff, 5, arch), kernelIoc(legacy, 0, 0xff, 5, 0));
      assert.equal(ior(0x12, 3, 16, arch), kernelIoc(legacy, 2, 0x12, 3, 16));
      assert.equal(iow(0x12, 3, 16, arch), kernelIoc(legacy, 1, 0x12, 3, 16));
      assert.equal(iowr(0x12, 3, 16, arch), kernelIoc(legacy, 3, 0x12, 3, 16));
      namespaceTypes.forEach((type, index) => {
        assert.equal(namespaceRequest(type, arch), kernelIoc(legacy, 0, 0xff, index + 1, 0), type);
      });
      for (const size of [64, 72, 80, 88]) {
        assert.equal(pidfdGetInfoRequest(size, arch), kernelIoc(legacy, 3, 0xff, 11, size));
      }
    });
  }

  it("known values: PIDFD_GET_INFO 0xC040FF0B (64 bytes), PIDFD_GET_NET_NAMESPACE 0xFF04 / 0x2000FF04", () => {
    assert.equal(pidfdGetInfoRequest(64, "x64"), 0xc040ff0b);
    assert.equal(pidfdGetInfoRequest(64, "ppc64"), 0xc040ff0b);
    assert.equal(pidfdGetInfoRequest(80, "arm64"), 0xc050ff0b);
    assert.equal(namespaceRequest("net", "x64"), 0xff04);
    assert.equal(namespaceRequest("net", "mips64el"), 0x2000ff04);
  });

  it("rejects bad arguments", () => {
    assert.throws(() => ioc(4, 0, 0, 0), RangeError);
    assert.throws(() => ioc(0, 256, 0, 0), RangeError);
    assert.throws(() => ioc(0, 0, 0, 0x2000), RangeError);
    assert.throws(() => io(0xff, 1, "vax"), TypeError);
    assert.throws(() => namespaceRequest("bogus" as NamespaceType), TypeError);
    assert.throws(() => pidfdGetInfoRequest(32), RangeError);
  });

  it("matches this machine's <asm/ioctl.h> (compiled with cc)", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-ioctl-"));
    try {
      const source = path.join(dir, "codes.c");
      fs.writeFileSync(source, `#include <stdio.h>
#include <asm/ioctl.h>
int main(void) {
  for (unsigned nr = 1; nr <= 10; nr++) printf("%u\\n", (unsigned)_IO(0xFF, nr));
  printf("%u\\n%u\\n%u\\n", (unsigned)_IOC(_IOC_READ|_IOC_WRITE, 0xFF, 11, 64), (unsigned)_IOC(_IOC_READ|_IOC_WRITE, 0xFF, 11, 80),
    (unsigned)_IOR(0x12, 3, int[4]));
  printf("%u\\n", (unsigned)_IOW(0x12, 3, int[4]));
  return 0;
}
`);
      try {
        execFileSync("cc", [source, "-o", path.join(dir, "codes")], { stdio: "ignore" });
      } catch {
        this.skip(); // no C compiler: the formula tests above still hold
      }
      const values = execFileSync(path.join(dir, "codes"), { encoding: "utf8" }).trim().split("\n").map(Number);
      const ours = [
        ...namespaceTypes.map((type) => namespaceRequest(type)),
        pidfdGetInfoRequest(64), pidfdGetInfoRequest(80), ior(0x12, 3, 16), iow(0x12, 3, 16),
      ];
      assert.deepEqual(ours, values);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
