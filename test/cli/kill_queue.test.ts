// pidfd kill -q <value> (sigqueue(3) in util-linux kill) is refused as not supported yet: the
// library's pidfd_send_signal passes no siginfo, so no value can go with the signal. Nothing is sent.
import assert from "node:assert/strict";
import { receivedNoSignal, stopChild } from "../util.js";
import { childrenOfEachTest, pidfd } from "./run_cli.js";

describe("pidfd kill -q (cli)", () => {
  const children = childrenOfEachTest();

  it("-q 5 and --queue 5: usage error 125 saying it is not supported yet, the process not signalled", async () => {
    const target = await children.sleeping();
    await stopChild(target);
    const message = "pidfd: kill: option '--queue' is not supported yet: pidfd_send_signal is not given a siginfo, "
      + "so the signal cannot carry a value (see 'pidfd kill --help')\n";
    for (const args of [["-q", "5"], ["--queue", "5", "-s", "USR1"]]) {
      assert.deepEqual(await pidfd("kill", ...args, String(target.pid)), { code: 125, stdout: "", stderr: message }, args.join(" "));
    }
    assert.ok(receivedNoSignal(target));
  });
});
