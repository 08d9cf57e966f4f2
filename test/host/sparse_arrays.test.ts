// A hole in an array argument (["a", , "b"], new Array(3)) is a TypeError naming its index,
// never an element skipped or read as undefined. An entry that is present but undefined keeps
// its meaning (spawn's stdio: the default).
import assert from "node:assert/strict";
import { text } from "node:stream/consumers";
import { PidFd, spawn, type NamespaceType, type StdioOption } from "../../host/index.js";
import { openFds } from "../util.js";

function hole(name: string, index: number) {
  return { name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: new RegExp(`^The "${name.replace(".", "\\.")}" (argument|property) .*index ${index} is empty`) };
}

describe("sparse arrays", () => {
  it("spawn args with a hole: TypeError, nothing started, no fd left", () => {
    const before = openFds();
    assert.throws(() => spawn("echo", ["a", , "b"] as string[]), hole("args", 1));
    assert.throws(() => spawn("echo", new Array<string>(2)), hole("args", 0));
    assert.deepEqual(openFds(), before);
  });

  it("spawn stdio with a hole: TypeError; an explicit undefined is the fd's default (a pipe)", async () => {
    assert.throws(() => spawn("true", [], { stdio: ["ignore", , "ignore"] as StdioOption[] }), hole("options.stdio", 1));
    const child = spawn("sh", ["-c", "echo out"], { stdio: ["ignore", undefined, "ignore"] });
    assert.ok(child.stdout, "fd 1 is a pipe, the default");
    const [status, out] = await Promise.all([child.exited, text(child.stdout)]);
    assert.equal(status.code, 0);
    assert.equal(out, "out\n");
  });

  it("setNamespace types with a hole: TypeError before setns", () => {
    using self = PidFd.self();
    assert.throws(() => self.setNamespace(["uts", , "ipc"] as NamespaceType[]), hole("types", 1));
  });
});
