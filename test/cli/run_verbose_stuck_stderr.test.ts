// pidfd run --verbose on a stderr that nobody reads (a full pipe): the note blocks, as a write to
// a full blocking pipe does, but the signal it announces has gone to the command already.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { CLI } from "./run_cli.js";
import { cleanup, fullFifo, procStateOf, until } from "../util.js";

describe("pidfd run --verbose (cli): a stderr nobody reads", () => {
  it("the timeout's SIGTERM reaches the command while the note waits for room", async () => {
    const fifo = fullFifo("pidfd-stderr-");
    let run: ChildProcess | undefined;
    try {
      // libuv's spawn makes the shared pipe blocking again: pidfd's note blocks in write(2).
      run = spawn(process.execPath, [CLI, "run", "--verbose", "--timeout", "100ms", "sh", "-c", "echo $$; exec sleep 30"],
        { stdio: ["ignore", "pipe", fifo.writeEnd] });
      fifo.closeWriteEnd();
      const [line] = await once(run.stdout!.setEncoding("utf8"), "data") as [string];
      const command = Number(line.trim());
      // Dead and unreaped: pidfd run sent SIGTERM, then blocked on the note before it could reap.
      await until(() => procStateOf(command) === "Z");

      const drained: Buffer[] = [];
      const buffer = Buffer.alloc(65536);
      const exited = once(run, "exit");
      let total = 0;
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(fifo.readEnd, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
          if (run.exitCode !== null) break;
          await new Promise(setImmediate);
          continue;
        }
        if (n === 0) break;
        drained.push(Buffer.from(buffer.subarray(0, n)));
        total += n;
      }
      const [code] = await exited;
      assert.equal(code, 124);
      assert.equal(Buffer.concat(drained).subarray(fifo.filled).toString(), "pidfd: run: sending signal TERM to command 'sh'\n");
      assert.ok(total > fifo.filled);
    } finally {
      if (run) await cleanup(run);
      fifo.remove();
    }
  });
});
