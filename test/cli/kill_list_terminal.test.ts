// On a terminal, pidfd kill -l and -L lay the signals out as util-linux kill(1) does: -l as many
// names per line as fit in 72 columns, -L in columns 11 characters wide across the terminal
// (script(1)'s terminal has no size: 73 columns are assumed, as util-linux assumes).
import assert from "node:assert/strict";
import { pidfd } from "./run_cli.js";
import { linesShown, startInTerminal } from "./terminal.js";

/** What `pidfd kill ...args` shows on a terminal, line by line. */
async function shownOnTerminal(...args: string[]): Promise<string[]> {
  const terminal = await startInTerminal("kill", ...args);
  try {
    assert.equal(await terminal.exit, 0);
    return linesShown(terminal.output());
  } finally {
    await terminal.close();
  }
}

describe("pidfd kill -l / -L (cli) on a terminal", () => {
  it("-l: the same names as off a terminal, space-separated, lines of at most 72 columns", async () => {
    const [shown, plain] = await Promise.all([shownOnTerminal("-l"), pidfd("kill", "-l")]);
    assert.ok(shown.every((line) => line.length <= 72), JSON.stringify(shown));
    assert.ok(shown.length > 1 && shown[0]!.length + 1 + shown[1]!.split(" ")[0]!.length > 72, "each line is filled");
    assert.deepEqual(shown.join(" ").split(" "), plain.stdout.trimEnd().split("\n"));
  });

  it("-L: six columns of 11 characters per line", async () => {
    const [shown, plain] = await Promise.all([shownOnTerminal("-L"), pidfd("kill", "-L")]);
    assert.equal(shown[0], " 1 HUP      2 INT      3 QUIT     4 ILL      5 TRAP     6 ABRT");
    const entries = shown.flatMap((line) => line.match(/.{1,11}/g)!.map((entry) => entry.trimEnd()));
    assert.deepEqual(entries, plain.stdout.trimEnd().split("\n"));
    assert.ok(shown.slice(0, -1).every((line) => line.trimEnd().length <= 66 && line.match(/.{1,11}/g)!.length === 6));
  });
});
