// pidfd kill --verbose prints each signal it sends, as util-linux kill --verbose does, naming
// the process <pid>:<id> (the name that cannot come to mean another process).
import assert from "node:assert/strict";
import { once } from "node:events";
import { PidFd } from "../../host/index.js";
import { exitOf, spawnShell, UNTIL_KILLED } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

describe("pidfd kill --verbose (cli)", () => {
  const children = childrenOfEachTest();

  it("prints 'sending signal <n> to pid <pid>:<id>' for each process, and each --timeout follow-up", async () => {
    const plain = await children.sleeping();
    const stubborn = children.add(await spawnShell(`trap '' TERM; echo ready; ${UNTIL_KILLED}`));
    await once(stubborn.stdout!, "data");
    using ownPlain = PidFd.open(plain.pid);
    using ownStubborn = PidFd.open(stubborn.pid!);
    const [first, second] = [`${plain.pid}:${ownPlain.getId()}`, `${stubborn.pid}:${ownStubborn.getId()}`];

    assert.deepEqual(await pidfd("kill", "--verbose", String(plain.pid)), { code: 0, stdout: `sending signal 15 to pid ${first}\n`, stderr: "" });
    assert.deepEqual(await exitOf(plain), [null, "SIGTERM"]);
    const followed = await pidfd("kill", "--verbose", "--timeout", "100", "KILL", String(stubborn.pid));
    assert.deepEqual(followed, { code: 0, stdout: `sending signal 15 to pid ${second}\ntimeout, sending signal 9 to pid ${second}\n`, stderr: "" });
    assert.deepEqual(await exitOf(stubborn), [null, "SIGKILL"]);
  });
});
