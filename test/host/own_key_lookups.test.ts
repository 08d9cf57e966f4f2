// Names given by the caller are looked up as own keys: Object.prototype's ("toString",
// "constructor", ...) are unknown names, refused before any syscall.
import assert from "node:assert/strict";
import { PidFd, type NamespaceType, type SignalScope } from "../../host/index.js";
import { ioc, loadCore, namespaceRequest } from "../../host/embed.js";
import { noSyscalls } from "../../host/sys/syscalls.js";

const INHERITED = ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"];

/** A TypeError ERR_INVALID_ARG_VALUE whose message lists `accepted`. */
function unknownName(accepted: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
    assert.equal((error as { code?: string }).code, "ERR_INVALID_ARG_VALUE");
    assert.ok(error.message.includes(accepted), error.message);
    return true;
  };
}

describe("inherited keys are not names", () => {
  it("sendSignal: a scope named after an Object.prototype key sends nothing", () => {
    using self = PidFd.self();
    for (const scope of INHERITED) {
      assert.throws(() => self.sendSignal(0, { scope: scope as SignalScope }), unknownName("thread, process, process-group"), scope);
    }
  });

  it("getNamespace, setNamespace: no ioctl or setns for an Object.prototype key", () => {
    using self = PidFd.self();
    const types = "cgroup, ipc, mnt, net, pid, pid_for_children, time, time_for_children, user, uts";
    for (const type of INHERITED) {
      assert.throws(() => self.getNamespace(type as NamespaceType), unknownName(types), type);
      assert.throws(() => self.setNamespace([type as NamespaceType]), unknownName(types), type);
      assert.throws(() => namespaceRequest(type as NamespaceType), unknownName(types), type);
    }
  });

  it("architecture names: ioc() refuses them, loadCore() calls them unsupported", () => {
    for (const arch of INHERITED) {
      assert.throws(() => ioc(0, 0xff, 1, 0, arch), unknownName("x64, arm64"), arch);
      assert.throws(() => loadCore(noSyscalls, { arch }), new RegExp(`^Error: pidfd: unsupported architecture ${arch}$`), arch);
    }
  });
});
