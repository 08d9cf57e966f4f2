// PidFd.fromHandle() reopens the process of a toHandle() handle, in this process and in another
// one: a handle is bytes, it travels through a file, a pipe or a database.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PidFd } from "../../host/index.js";
import { sleeper } from "../lifecycle/helpers.js";

const INDEX = new URL("../../host/index.js", import.meta.url).href;
/** Reopens the handle given in hex and prints the pid and id the reopened pidfd has. */
const REOPEN = `import { PidFd } from ${JSON.stringify(INDEX)};
const pidfd = PidFd.fromHandle(Buffer.from(process.argv[1], "hex"));
console.log(pidfd.getPid() + ":" + pidfd.getId());`;

describe("PidFd.fromHandle()", () => {
  it("reopens the process in this process and in another one", async () => {
    const { child, pidfd } = sleeper();
    try {
      const handle = pidfd.toHandle();
      using again = PidFd.fromHandle(handle);
      assert.equal(again.getId(), pidfd.getId());
      assert.equal(again.getPid(), child.pid);
      const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", REOPEN, handle.toString("hex")]);
      assert.equal(stdout, `${child.pid}:${pidfd.getId()}\n`);
    } finally {
      pidfd.close();
      child.kill("SIGKILL");
      await child.exited;
      child.close();
    }
  });
});
