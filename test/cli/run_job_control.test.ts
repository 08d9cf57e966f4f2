// Without --foreground the command has no terminal to stop it, so pidfd run does what the
// terminal would: SIGTSTP (Ctrl-Z) stops the command (with SIGSTOP) and then pidfd run itself;
// SIGCONT (fg, bg) is passed on, so both run again.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";
import { cleanup, procStateOf, until } from "../util.js";
import { startPidfd } from "./run_cli.js";

const stopped = (pid: number): boolean => procStateOf(pid) === "T";

describe("pidfd run (cli): job control without a terminal", () => {
  it("SIGTSTP stops the command, then pidfd run; SIGCONT continues both; SIGTERM then ends both (143)", async () => {
    const cli = await startPidfd("run", "--", "sh", "-c", "echo $$; exec sleep 30");
    let command: PidFd | undefined;
    try {
      const [pid] = await cli.lines(1);
      command = PidFd.open(Number(pid));
      cli.process.kill("SIGTSTP");
      await until(() => stopped(Number(pid)) && stopped(cli.process.pid));
      cli.process.kill("SIGCONT");
      await until(() => !stopped(Number(pid)) && !stopped(cli.process.pid));
      cli.process.kill("SIGTERM");
      assert.deepEqual(await cli.result, { code: 143, stdout: `${pid}\n`, stderr: "" });
    } finally {
      if (command?.isAlive()) command.kill();
      command?.close();
      await cleanup(cli.process);
    }
  });
});
