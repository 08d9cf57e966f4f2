// What the command can do with the terminal: read it through the stdin it inherits, with or
// without --foreground; open /dev/tty (its controlling terminal) only with --foreground, since
// without it the command runs in a session of its own.
import assert from "node:assert/strict";
import { linesShown, startInTerminal } from "./terminal.js";

/** Runs `pidfd run ...options -- sh -c script` at a terminal and resolves with its exit status and the lines shown. */
async function atTerminal(options: string[], script: string, typed?: string): Promise<[number | null, string[]]> {
  const terminal = await startInTerminal("run", ...options, "--", "sh", "-c", script);
  try {
    if (typed !== undefined) {
      await terminal.line(/^ready$/);
      terminal.type(typed);
    }
    const code = await terminal.exit;
    return [code, linesShown(terminal.output())];
  } finally {
    await terminal.close();
  }
}

describe("pidfd run (cli): the command and the terminal", () => {
  it("reads what is typed at the terminal, with and without --foreground", async () => {
    const script = 'echo ready; read line; echo "got $line"';
    for (const options of [[], ["--foreground"]]) {
      assert.deepEqual(await atTerminal(options, script, "hello\n"), [0, ["ready", "hello", "got hello"]], options.join(" "));
    }
  });

  it("opens /dev/tty only with --foreground", async () => {
    const script = "if true 2>/dev/null >/dev/tty; then echo has a terminal; else echo no terminal; fi";
    assert.deepEqual(await atTerminal([], script), [0, ["no terminal"]]);
    assert.deepEqual(await atTerminal(["--foreground"], script), [0, ["has a terminal"]]);
  });
});
