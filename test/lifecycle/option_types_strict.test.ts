// Every options object is checked in full: a property that is no option is ERR_INVALID_ARG_VALUE
// naming it, an option of the wrong type ERR_INVALID_ARG_TYPE naming it; nothing is done.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { loadCore } from "../../host/embed.js";
import { traceSyscalls } from "../../host/testing.js";
import { noSyscalls } from "../../host/sys/syscalls.js";
import { openFds } from "../util.js";

const UNKNOWN = (name: string) => ({ name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: new RegExp(`^The property "${name.replace(".", "\\.")}" is not an option`) });
const WRONG_TYPE = (name: string, type: string) => ({ name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: new RegExp(`^The "${name.replace(".", "\\.")}" property must be of type ${type}\\.`) });

describe("strict options objects", () => {
  it("PidFd.open: thread and nonblock booleans, id a bigint, nothing else; no fd opened", () => {
    const before = openFds().length;
    assert.throws(() => PidFd.open(process.pid, { thread: "yes" as unknown as boolean }), WRONG_TYPE("options.thread", "boolean"));
    assert.throws(() => PidFd.open(process.pid, { nonblock: 1 as unknown as boolean }), WRONG_TYPE("options.nonblock", "boolean"));
    assert.throws(() => PidFd.open(process.pid, { id: 5 as unknown as bigint }), WRONG_TYPE("options.id", "bigint"));
    assert.throws(() => PidFd.open(process.pid, { threads: true } as never), UNKNOWN("options.threads"));
    assert.throws(() => PidFd.open(process.pid, "x" as never), { code: "ERR_INVALID_ARG_TYPE" });
    assert.equal(openFds().length, before);
  });

  it("sendSignal, waitAsync and terminate", async () => {
    using self = PidFd.self();
    assert.throws(() => self.sendSignal(0, { scoop: "thread" } as never), UNKNOWN("options.scoop"));
    await assert.rejects(self.waitAsync({ timeout: "10" as unknown as number }), WRONG_TYPE("options.timeout", "number"));
    await assert.rejects(self.waitAsync({ reapgrace: 5 } as never), UNKNOWN("options.reapgrace"));
    await assert.rejects(self.terminate({ timeout: null as unknown as number }), WRONG_TYPE("options.timeout", "number"));
    await assert.rejects(self.terminate({ signals: "SIGTERM" } as never), UNKNOWN("options.signals"));
    assert.ok(self.isAlive(), "nothing was sent");
  });

  it("loadCore and traceSyscalls", () => {
    assert.throws(() => loadCore(noSyscalls, { loader: "bogus" as "raw" }), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE" });
    assert.throws(() => loadCore(noSyscalls, { arch: 64 as unknown as string }), WRONG_TYPE("options.arch", "string"));
    assert.throws(() => traceSyscalls(noSyscalls, { limit: "10" as unknown as number }), WRONG_TYPE("options.limit", "number"));
    assert.throws(() => traceSyscalls(noSyscalls, { logger: console.log } as never), UNKNOWN("options.logger"));
  });
});
