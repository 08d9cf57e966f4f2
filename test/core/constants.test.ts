// host/constants.ts against the core: every kernel constant that both define has the same value,
// so that a constant can be changed in one place only (the other side fails here).
import assert from "node:assert/strict";
import * as K from "../../host/constants.js";
import { coreModule } from "../../host/core.js";
import { createHostImports } from "../../host/imports.js";
import { noSyscalls } from "../../host/sys/syscalls.js";

describe("host/constants.ts and the core's constants", () => {
  const instance = new WebAssembly.Instance(coreModule(), {
    pidfd_host: createHostImports(() => new WebAssembly.Memory({ initial: 1 }), noSyscalls) as never,
  });
  const coreConstants = new Map(WebAssembly.Module.exports(coreModule())
    .filter((e) => e.kind === "global" && e.name === e.name.toUpperCase() && !e.name.startsWith("__") && e.name !== "ABI_VERSION")
    .map((e) => [e.name, (instance.exports[e.name] as WebAssembly.Global).value as number]));

  it("the host defines every constant the core exports, with the same value", () => {
    assert.ok(coreConstants.size >= 30, `the core exports ${coreConstants.size} constants`);
    for (const [name, value] of coreConstants) {
      assert.equal((K as Record<string, unknown>)[name], value, name);
    }
  });

  it("the namespace table names every NS_* code once, in order", () => {
    const codes = Object.values(K.NAMESPACE_TYPES);
    assert.deepEqual(codes, [...coreConstants].filter(([name]) => name.startsWith("NS_")).map(([, value]) => value));
    assert.deepEqual(Object.keys(K.NAMESPACE_TYPES).map((type) => `NS_${type.toUpperCase()}`),
      [...coreConstants.keys()].filter((name) => name.startsWith("NS_")));
  });

  it("each CLONE_NEW* flag is the one the core gives its namespace type", () => {
    const exports = instance.exports as unknown as { namespace_clone_flag(type: number): number };
    const expected: Record<string, string> = { mnt: "CLONE_NEWNS", pid_for_children: "CLONE_NEWPID", time_for_children: "CLONE_NEWTIME" };
    for (const [type, code] of Object.entries(K.NAMESPACE_TYPES)) {
      const name = expected[type] ?? `CLONE_NEW${type.toUpperCase()}`;
      assert.equal(exports.namespace_clone_flag(code) >>> 0, (K as Record<string, unknown>)[name], type);
    }
  });
});
