// docs/abi.md against the built core: the import and export tables must list exactly what
// build/pidfd.wasm imports and exports, with the same parameter and result types; the result
// area, architecture and feature tables must match the host and the core.
import assert from "node:assert/strict";
import fs from "node:fs";
import { ARCH_CODES, coreModule, CORE_WASM_URL, loadCore, RESULT } from "../../host/core.js";
import { createHostImports, HOST_IMPORT_NAMES } from "../../host/imports.js";
import { noSyscalls, type Syscalls } from "../../host/sys/syscalls.js";
import * as errno from "../../host/errno.js";
import { ERRNO_TABLE } from "../../host/errno_names.js";

const DOC = fs.readFileSync(new URL("../../../docs/abi.md", import.meta.url), "utf8");

/** The rows of the first table after the heading `## title` (cells trimmed, header dropped). */
function table(title: string): string[][] {
  const start = DOC.indexOf(`\n${title}\n`);
  assert.ok(start >= 0, `docs/abi.md has no "${title}"`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of DOC.slice(start + title.length + 2).split("\n")) {
    if (line.startsWith("#")) break;
    if (line.startsWith("|")) {
      inTable = true;
      rows.push(line.slice(1, -1).split("|").map((cell) => cell.trim()));
    } else if (inTable) {
      break;
    }
  }
  assert.ok(rows.length > 2, `no table under "${title}"`);
  return rows.slice(2); // header and separator
}

/** "pid: i32, flags: u32" -> ["i32", "i32"]: wire types (u32/usize are i32, u64 is i64). */
function wireTypes(cell: string): string[] {
  if (cell === "") return [];
  return cell.replace(/\s*\(errno\)/, "").split(",").map((param) => {
    const type = param.includes(":") ? param.split(":")[1]!.trim() : param.trim();
    if (["i32", "u32", "usize"].includes(type)) return "i32";
    if (["i64", "u64"].includes(type)) return "i64";
    throw new Error(`unknown type in docs/abi.md: ${param}`);
  });
}

/** Reads the function types of the imports and exports from the module's binary. */
function signatures(bytes: Uint8Array): { imports: Map<string, string>; exports: Map<string, string> } {
  let pos = 8;
  const u8 = (): number => bytes[pos++]!;
  const leb = (): number => {
    let result = 0, shift = 0, byte: number;
    do {
      byte = u8();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  };
  const name = (): string => {
    const len = leb();
    const text = new TextDecoder().decode(bytes.subarray(pos, pos + len));
    pos += len;
    return text;
  };
  const VALTYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };
  const types: string[] = [];
  const functionTypes: number[] = []; // by function index: imported first, then defined
  const imports = new Map<string, string>();
  const exports = new Map<string, string>();
  while (pos < bytes.length) {
    const id = u8();
    const size = leb();
    const end = pos + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        assert.equal(u8(), 0x60);
        const params = Array.from({ length: leb() }, () => VALTYPES[u8()]);
        const results = Array.from({ length: leb() }, () => VALTYPES[u8()]);
        types.push(`(${params.join(", ")}) -> ${results.join(", ")}`);
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        const key = `${name()}.${name()}`;
        assert.equal(u8(), 0, `${key}: the core imports functions only`);
        const type = leb();
        functionTypes.push(type);
        imports.set(key, types[type]!);
      }
    } else if (id === 3) {
      for (let n = leb(); n > 0; n--) functionTypes.push(leb());
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const exportName = name();
        const kind = u8();
        const index = leb();
        if (kind === 0) exports.set(exportName, types[functionTypes[index]!]!);
      }
    }
    pos = end;
  }
  return { imports, exports };
}

/** Makes each `name(args) | answer` call of a table's rows on `exports` and checks the answer. */
function callRows(exports: Record<string, (...args: number[]) => number>, title: string): void {
  for (const row of table(title)) {
    const [call, answer] = row as [string, string];
    const name = call.replace(/\(.*/, "");
    const args = call.slice(name.length + 1, -1).split(",").filter(Boolean).map(Number);
    assert.equal(exports[name]!(...args), answer === "-EINVAL" ? -22 : Number(answer), call);
  }
}

describe("docs/abi.md matches build/pidfd.wasm", () => {
  const module = coreModule();
  const binary = signatures(new Uint8Array(fs.readFileSync(CORE_WASM_URL)));

  it("lists exactly the imports, with their parameter and result types", () => {
    const documented = table("## Imports");
    const actual = WebAssembly.Module.imports(module);
    assert.deepEqual(
      documented.map(([name]) => `pidfd_host.${name}`).sort(),
      actual.map((i) => `${i.module}.${i.name}`).sort(),
    );
    assert.ok(actual.every((i) => i.kind === "function"));
    for (const [name, params, result] of documented) {
      const expected = `(${wireTypes(params!).join(", ")}) -> ${wireTypes(result!).join(", ")}`;
      assert.equal(binary.imports.get(`pidfd_host.${name}`), expected, `import ${name}`);
    }
  });

  it("the host's import object provides the same functions, with the same arity", () => {
    const documented = new Map(table("## Imports").map(([name, params]) => [name!, wireTypes(params!).length]));
    const imports = createHostImports(() => new WebAssembly.Memory({ initial: 1 }), noSyscalls) as unknown as Record<string, () => number>;
    assert.deepEqual([...HOST_IMPORT_NAMES].sort(), [...documented.keys()].sort());
    for (const [name, arity] of documented) assert.equal(imports[name]!.length, arity, name);
  });

  it("lists exactly the exports (constants in their own table), with their kinds and function types", () => {
    const documented = table("## Exports");
    const constants = table("## Constants").map(([name]) => [name!, "global"]);
    const actual = WebAssembly.Module.exports(module);
    assert.deepEqual(
      [...documented, ...constants].map(([name, kind]) => `${name} ${kind}`).sort(),
      actual.map((e) => `${e.name} ${e.kind}`).sort(),
    );
    for (const [name, kind, params, result] of documented) {
      if (kind !== "function") continue;
      const expected = `(${wireTypes(params!).join(", ")}) -> ${wireTypes(result!).join(", ")}`;
      assert.equal(binary.exports.get(name!), expected, `export ${name}`);
    }
  });

  it("the constants table gives the values of the core's globals", () => {
    const instance = new WebAssembly.Instance(module, { pidfd_host: createHostImports(() => new WebAssembly.Memory({ initial: 1 }), noSyscalls) as never });
    for (const [name, value] of table("## Constants")) {
      assert.equal((instance.exports[name!] as WebAssembly.Global).value, Number(value), name);
    }
  });

  it("the result area table matches host/core.ts RESULT and result_size()", () => {
    const rows = table("## Result area").filter(([, field]) => field !== "reserved");
    assert.deepEqual(
      Object.fromEntries(rows.map(([offset, field]) => [field!, Number(offset)])),
      { ...RESULT },
    );
    const core = loadCore(noSyscalls);
    assert.equal(core.exports.result_size(), 96);
    assert.equal(core.exports.scratch_size(), 4096);
  });

  it("the architecture codes match ARCH_CODES and init()", () => {
    const rows = table("## Architecture codes");
    const core = loadCore(noSyscalls);
    const documented = rows.flatMap(([code, , nodeArchs]) => nodeArchs!.split(", ").map((name) => [name, Number(code)] as const));
    assert.deepEqual(Object.fromEntries(documented), { ...ARCH_CODES });
    for (const [code] of rows) assert.equal(core.exports.init(Number(code)), 0);
    assert.equal(core.exports.init(rows.length + 1), -22);
    assert.equal(core.exports.init(0), -22);
    core.exports.init(ARCH_CODES[process.arch]!);
  });

  it("the support feature codes are the core's", () => {
    const rows = table("## Support feature codes");
    const core = loadCore(noSyscalls);
    rows.forEach(([code], i) => assert.equal(Number(code), i));
    for (const [code] of rows) assert.equal(core.exports.support(Number(code)), 0, `feature ${code}`);
    assert.equal(core.exports.support(rows.length), -1);
  });

  it("before init() every operation is EINVAL without a syscall, and the arch-dependent exports give 0 or EINVAL", () => {
    let calls = 0;
    const counting = Object.fromEntries(Object.entries(noSyscalls).map(([name, fn]) => [name, (...args: never[]) => (calls++, (fn as (...a: never[]) => number)(...args))]));
    const instance = new WebAssembly.Instance(module, { pidfd_host: createHostImports(() => new WebAssembly.Memory({ initial: 1 }), counting as never) as never });
    const x = instance.exports as unknown as Record<string, (...args: number[]) => number>;
    callRows(x, "## Before init()");
    assert.equal(calls, 0);
    assert.equal(x.init!(1), 0);
    assert.equal(x.o_cloexec!(), 0x80000);
    callRows(x, "## EINVAL without a syscall");
    assert.equal(calls, 0);
  });

  it("the errno table gives the asm-generic numbers of host/errno.ts and of PidFdError's names", () => {
    const known = new Map<string, number>([...ERRNO_TABLE.map(([value, name]) => [name, value] as const), ...Object.entries(errno)]);
    const section = DOC.slice(DOC.indexOf("\n## Conventions\n"), DOC.indexOf("\n## Instantiation\n"));
    const lines = section.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("|")).slice(2); // header, separator
    const rows = lines.flatMap((line) => {
      const [a, b, c, d] = line.slice(1, -1).split("|").map((cell) => cell.trim());
      return [[a!, b!], [c!, d!]] as const;
    });
    assert.ok(rows.length >= 20);
    for (const [cell, value] of rows) {
      const name = cell.split(" ")[0]!;
      assert.equal(known.get(name), Number(value), name);
    }
  });

  it("the minimum lengths table is what createHostImports enforces: one byte less is -EFAULT without a syscall", () => {
    const minimum = new Map(table("## Minimum lengths").map(([name, buffer, min]) => [`${name} ${buffer}`, min!]));
    assert.deepEqual([...minimum.keys()].sort(), ["fstat buf", "fstatfs buf", "getsockopt optval", "ioctl arg",
      "name_to_handle_at handle", "name_to_handle_at mount_id", "name_to_handle_at path", "open_by_handle_at handle",
      "pidfd_send_signal info", "read_fdinfo buf", "waitid infop"]);
    const core = loadCore(noSyscalls);
    const arch = ARCH_CODES[process.arch]!;
    const memory = new WebAssembly.Memory({ initial: 1 });
    let calls = 0;
    const counting = Object.fromEntries(Object.keys(noSyscalls).map((name) => [name, () => (calls++, 0)])) as unknown as Syscalls;
    const x = createHostImports(() => memory, counting, (request) => core.exports.ioctl_size(request));
    /** Whether the call reached the backend (else it must be -EFAULT). */
    const reaches = (call: () => number): boolean => {
      const before = calls;
      const rc = call();
      if (calls === before) assert.equal(rc, -14);
      return calls > before;
    };
    const size = (key: string): number => Number.parseInt(minimum.get(key)!, 10);
    for (const [key, call] of [
      ["waitid infop", (len: number) => x.waitid(3, 3, 0, len, 4)],
      ["pidfd_send_signal info", (len: number) => x.pidfd_send_signal(3, 10, 0, len, 0)],
      ["fstat buf", (len: number) => x.fstat(3, 0, len)],
      ["fstatfs buf", (len: number) => x.fstatfs(3, 0, len)],
    ] as const) {
      assert.ok(!reaches(() => call(size(key) - 1)), key);
      assert.ok(reaches(() => call(size(key))), key);
    }
    assert.match(minimum.get("ioctl arg")!, /ioctl_size\(request\)/);
    for (const request of [core.exports.get_info_request(arch, 80), core.exports.get_info_request(arch, 64)]) {
      const len = core.exports.ioctl_size(request);
      assert.ok(len === 80 || len === 64);
      assert.ok(!reaches(() => x.ioctl(3, request, 0, len - 1)));
      assert.ok(!reaches(() => x.ioctl(3, request, 0, 0)));
      assert.ok(reaches(() => x.ioctl(3, request, 0, len)));
    }
    assert.ok(reaches(() => x.ioctl(3, core.exports.namespace_request(arch, 4), 0, 0)));
    const header = size("name_to_handle_at handle");
    const view = new DataView(memory.buffer);
    view.setUint32(0, 16, true); // handle_bytes
    view.setUint8(64, 0); // the path "" at 64
    const end = memory.buffer.byteLength;
    const handleAt = (handleLen: number, mountId: number, flags: number, pathLen = 1) => () => x.name_to_handle_at(-100, 64, pathLen, 0, handleLen, mountId, flags);
    assert.ok(!reaches(handleAt(header - 1, 128, 0x1000)));
    assert.ok(!reaches(handleAt(header + 15, 128, 0x1000)));
    assert.ok(reaches(handleAt(header + 16, 128, 0x1000)));
    assert.equal(size("name_to_handle_at mount_id"), 4);
    assert.match(minimum.get("name_to_handle_at mount_id")!, /8 with AT_HANDLE_MNT_ID_UNIQUE \(0x1\)/);
    assert.ok(reaches(handleAt(header + 16, end - 4, 0x1000)));
    assert.ok(!reaches(handleAt(header + 16, end - 4, 0x1001)));
    assert.ok(reaches(handleAt(header + 16, end - 8, 0x1001)));
    view.setUint8(64, 0x61);
    assert.ok(!reaches(handleAt(header + 16, 128, 0x1000))); // "a" without its NUL
    assert.ok(reaches(handleAt(header + 16, 128, 0x1000, 2))); // "a" and its NUL
    view.setUint32(0, 8, true); // handle_bytes of a pidfs handle
    assert.equal(size("open_by_handle_at handle"), header);
    assert.ok(!reaches(() => x.open_by_handle_at(3, 0, header - 1, 0)));
    assert.ok(!reaches(() => x.open_by_handle_at(3, 0, header + 7, 0)));
    assert.ok(reaches(() => x.open_by_handle_at(3, 0, header + 8, 0)));
    assert.match(minimum.get("read_fdinfo buf")!, /^none/);
    assert.ok(reaches(() => x.read_fdinfo(3, 0, 0)));
    assert.match(minimum.get("getsockopt optval")!, /^none/);
    assert.ok(reaches(() => x.getsockopt(3, 1, 17, 0, 0)));
  });

  it("the ABI version is documented", () => {
    const core = loadCore(noSyscalls);
    assert.match(DOC, new RegExp(`^# The core's ABI, version ${core.exports.abi_version()}$`, "m"));
  });
});
