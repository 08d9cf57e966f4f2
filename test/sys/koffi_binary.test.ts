// koffi's native module is loaded straight from its prebuilt binary on glibc x64/arm64, skipping
// koffi's JavaScript loader (about 4 ms of every start), and through `require("koffi")` when that
// binary cannot be taken; either way the backend makes real syscalls. Each case runs in a fresh
// Node process, since a process loads koffi once.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { GLIBC_MAPPED, KOFFI_VERSION } from "../../host/sys/libc.js";

const LIBC = new URL("../../host/sys/libc.js", import.meta.url).href;
const KOFFI_BACKEND = new URL("../../host/sys/koffi.js", import.meta.url).href;

/** Loads koffi in a new process (after `preload`, a CommonJS script's text) and says which files it loaded and whether a syscall works. */
async function loadIn(preload = ""): Promise<{ koffiFiles: string[]; version: string; pidfdOpen: boolean }> {
  const script = `${preload}
    const { koffi } = await import(${JSON.stringify(LIBC)});
    const { koffiSyscalls } = await import(${JSON.stringify(KOFFI_BACKEND)});
    const version = koffi().version;
    const fd = koffiSyscalls().pidfdOpen(process.pid, 0);
    const pidfdOpen = fd >= 0 && koffiSyscalls().close(fd) === 0;
    const koffiFiles = Object.keys(require.cache).filter((file) => /koffi/.test(file));
    console.log(JSON.stringify({ koffiFiles, version, pidfdOpen }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", `(async () => { ${script} })()`]);
  return JSON.parse(stdout) as { koffiFiles: string[]; version: string; pidfdOpen: boolean };
}

describe("koffi's native module", () => {
  it("is its prebuilt binary alone, of the version package.json pins, and it makes syscalls", async function () {
    // The direct load covers these two, with glibc.
    if ((process.arch !== "x64" && process.arch !== "arm64") || !GLIBC_MAPPED.test(fs.readFileSync("/proc/self/maps", "latin1"))) this.skip();
    const { koffiFiles, version, pidfdOpen } = await loadIn();
    assert.deepEqual(koffiFiles.map((file) => file.replace(/.*node_modules\//, "")), [`@koromix/koffi-linux-${process.arch}/linux_${process.arch}/koffi.node`]);
    assert.equal(version, KOFFI_VERSION);
    assert.equal(pidfdOpen, true);
  });

  it("KOFFI_VERSION is the koffi that package.json pins", () => {
    const manifest = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    assert.equal(manifest.dependencies.koffi, KOFFI_VERSION);
  });

  it("comes through koffi's own loader when its binary cannot be loaded directly", async () => {
    // The absolute path of the direct load fails; koffi's loader asks for its package by name,
    // then for its binary by a relative path.
    const preload = `
      const Module = require("node:module");
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (/^\\/.*\\/@koromix\\/koffi-[^/]+\\/linux_[^/]+\\/koffi\\.node$/.test(request)) throw Object.assign(new Error("hidden"), { code: "MODULE_NOT_FOUND" });
        return resolve.call(this, request, ...rest);
      };`;
    const { koffiFiles, version, pidfdOpen } = await loadIn(preload);
    assert.ok(koffiFiles.some((file) => file.endsWith("/koffi/index.cjs")), koffiFiles.join(", "));
    assert.equal(version, KOFFI_VERSION);
    assert.equal(pidfdOpen, true);
  });
});
