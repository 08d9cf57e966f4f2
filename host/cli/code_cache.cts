// The CLI bundle's V8 code cache, for runtimes without a compile cache of their own (Node 20;
// Node 22.1+ has module.enableCompileCache()). The build writes it beside the bundle
// (bundle.mjs), so it is as trusted as the bundle itself: nothing is written at run time.
// File layout: the CRC-32 of the bundle's bytes and the CRC-32 of V8's data (u32 each,
// little-endian), then V8's data; both are checked before V8 sees the data, as Node's own compile
// cache checks its entries. V8 checks that the data was made by the same V8 with the same flags,
// but the source by its length only (a bundle edited in place to the same length, by
// patch-package or an editor, would run the code of the one it replaced), and aborts the process
// on data damaged past its header.
import fs = require("node:fs");
import nodeModule = require("node:module");
import path = require("node:path");
import vm = require("node:vm");
import zlib = require("node:zlib");

/** The cache's header: the two CRC-32s. */
const HEADER_SIZE = 8;

/** Where the cache of `bundle` is. */
export function codeCachePath(bundle: string): string {
  return `${bundle}.cache`;
}

/** The script `require()` would compile for `source`: the CommonJS wrapper around it. */
function compile(source: Buffer, filename: string, cachedData?: Buffer): vm.Script {
  return new vm.Script(nodeModule.wrap(source.toString("utf8")), { filename, cachedData });
}

/** Compiles `bundle` and writes its code cache (the build's step), whole or not at all (a rename). */
export function writeCodeCache(bundle: string): void {
  const source = fs.readFileSync(bundle);
  const data = compile(source, bundle).createCachedData();
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32LE(zlib.crc32(source), 0);
  header.writeUInt32LE(zlib.crc32(data), 4);
  const cache = codeCachePath(bundle);
  fs.writeFileSync(`${cache}.tmp`, Buffer.concat([header, data]));
  fs.renameSync(`${cache}.tmp`, cache);
}

/** V8's data in the code cache of `source` (the bundle's bytes), unless there is none or it was made from other bytes or is damaged. */
export function codeCacheOf(bundle: string, source: Buffer): Buffer | undefined {
  try {
    const cache = fs.readFileSync(codeCachePath(bundle));
    const data = cache.subarray(HEADER_SIZE);
    const whole = cache.length > HEADER_SIZE && cache.readUInt32LE(0) === zlib.crc32(source) && cache.readUInt32LE(4) === zlib.crc32(data);
    return whole ? data : undefined;
  } catch {
    return undefined; // no cache, unreadable, or a runtime without zlib.crc32: compiled from the source
  }
}

/**
 * Loads the CommonJS file `bundle` as require() would (its exports), compiled with its code cache
 * (codeCacheOf); V8 itself refuses data from another V8 version or other flags, and then compiles
 * the source. A missing, stale or damaged cache is no error.
 */
export function requireWithCodeCache(bundle: string): unknown {
  const source = fs.readFileSync(bundle);
  const module = { exports: {} };
  const run = compile(source, bundle, codeCacheOf(bundle, source)).runInThisContext() as
    (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run(module.exports, nodeModule.createRequire(bundle), module, bundle, path.dirname(bundle));
  return module.exports;
}
