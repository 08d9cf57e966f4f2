// At a terminal, one Ctrl-C reaches the command once. Without --foreground the command runs in a
// session of its own, out of the terminal's foreground process group: only pidfd run gets the
// terminal's SIGINT, and passes it on. (timeout(1) and `run --foreground` leave the command in
// that group: it gets the terminal's SIGINT, and then the passed-on one.)
import assert from "node:assert/strict";
import { linesShown, SIGNAL_REPORTER, startInTerminal, terminalPlace } from "./terminal.js";

/** The codes SIGNAL_REPORTER prints: from kill(2)/pidfd_send_signal(2), from the kernel (the terminal). */
const SI_USER = 0;
const SI_KERNEL = 128;

describe("pidfd run (cli) at a terminal: Ctrl-C", () => {
  it("reaches the command once, from pidfd run: it has a session of its own and no controlling terminal", async () => {
    const terminal = await startInTerminal("run", "--", "perl", "-e", SIGNAL_REPORTER);
    try {
      const [, command, run] = (await terminal.line(/^ready /)).split(" ").map(Number);
      assert.deepEqual(terminalPlace(command!), { pgrp: command, session: command, ttyNr: 0, tpgid: -1 });
      assert.equal(terminalPlace(run!).tpgid, run, "pidfd run is the terminal's foreground process group");
      terminal.type("\x03");
      await terminal.line(/INT from/);
      terminal.type("\x1c");
      assert.equal(await terminal.exit, 3, `the terminal showed ${JSON.stringify(terminal.output())}`);
      assert.deepEqual(linesShown(terminal.output()),
        [`ready ${command} ${run}`, `INT from ${run} code ${SI_USER}`, `QUIT from ${run} code ${SI_USER}`]);
    } finally {
      await terminal.close();
    }
  });

  it("--foreground: the command is in pidfd run's process group, the terminal's foreground one, and gets the terminal's SIGINT", async () => {
    const terminal = await startInTerminal("run", "--foreground", "--", "perl", "-e", SIGNAL_REPORTER);
    try {
      const [, command, run] = (await terminal.line(/^ready /)).split(" ").map(Number);
      const place = terminalPlace(command!);
      assert.deepEqual({ pgrp: place.pgrp, session: place.session, tpgid: place.tpgid }, { pgrp: run, session: run, tpgid: run });
      terminal.type("\x03");
      // The terminal signals the whole group at once, before pidfd run can pass its own SIGINT on.
      assert.equal((await terminal.line(/INT from/)).replace("^C", ""), `INT from 0 code ${SI_KERNEL}`);
      terminal.type("\x1c");
      assert.equal(await terminal.exit, 3, `the terminal showed ${JSON.stringify(terminal.output())}`);
    } finally {
      await terminal.close();
    }
  });
});
