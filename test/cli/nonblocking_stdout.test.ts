// The command writes stdout and stderr with write(2) (host/cli/output.ts). On a stdout that is
// non-blocking (its open file is shared: any process holding it may have set O_NONBLOCK) and
// full, a write waits until there is room, as on a blocking pipe: every byte arrives, stdout and
// stderr stay in the order they were written, and nothing is reported.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { cleanup, fullFifo, until } from "../util.js";

const OUTPUT = fileURLToPath(new URL("../../host/cli/output.js", import.meta.url));
const LIBC = fileURLToPath(new URL("../../host/sys/libc.js", import.meta.url));
const BIG = "x".repeat(100000);

/**
 * Sets O_NONBLOCK on its stdout (which is also its stderr; libuv's spawn has just cleared it),
 * says "ready" on fd 3, writes to stdout and stderr in turn, then says on fd 3 whether stdout
 * had a write error.
 */
const WRITER = `
import { stdoutFailure, writeErr, writeOut } from ${JSON.stringify(OUTPUT)};
import { libc } from ${JSON.stringify(LIBC)};
import fs from "node:fs";
const fcntl = libc().func("int fcntl(int fd, int cmd, int arg)");
const F_GETFL = 3, F_SETFL = 4;
if (fcntl(1, F_SETFL, fcntl(1, F_GETFL, 0) | ${fs.constants.O_NONBLOCK}) !== 0) throw new Error("fcntl failed");
fs.writeSync(3, "ready\\n");
writeOut("first\\n");
writeErr("error\\n");
writeOut(${JSON.stringify(BIG)} + "\\n");
writeOut("last\\n");
writeErr("done\\n");
fs.writeSync(3, stdoutFailure() === undefined ? "finished\\n" : stdoutFailure() + "\\n");
`;

/** Whether the main thread of `pid` sleeps in epoll_wait (its wchan: do_epoll_wait, or ep_poll before Linux 5.x). */
function inEpollWait(pid: number): boolean {
  return /epoll/.test(fs.readFileSync(`/proc/${pid}/wchan`, "utf8"));
}

describe("pidfd (cli): a non-blocking stdout", () => {
  it("full: a write waits for room, then every byte arrives, stdout and stderr in the order written", async () => {
    const fifo = fullFifo("pidfd-stdout-");
    let reader: net.Socket | undefined;
    let child: ChildProcess | undefined;
    try {
      // One page read back: the first lines fit, the long one is written in part.
      fifo.filled -= fs.readSync(fifo.readEnd, Buffer.alloc(4096));

      child = spawn(process.execPath, ["--input-type=module", "-e", WRITER], { stdio: ["ignore", fifo.writeEnd, fifo.writeEnd, "pipe"] });
      fifo.closeWriteEnd();
      let said = "";
      const gate = child.stdio[3] as NodeJS.ReadableStream;
      gate.setEncoding("utf8");
      gate.on("data", (chunk: string) => (said += chunk));
      const pid = child.pid!;
      await until(() => said.includes("ready\n") || child!.exitCode !== null || child!.signalCode !== null);
      assert.equal(said, "ready\n");
      await until(() => child!.exitCode !== null || inEpollWait(pid)); // reaped only between two looks
      assert.equal(child.exitCode, null, "the writer waits for room before anything is read");

      reader = new net.Socket({ fd: fifo.readEnd, readable: true, writable: false });
      const chunks: Buffer[] = [];
      reader.on("data", (chunk: Buffer) => chunks.push(chunk));
      const [[code]] = await Promise.all([once(child, "close"), once(reader, "end")]);
      const output = Buffer.concat(chunks);
      assert.equal(output.subarray(0, fifo.filled).toString(), "-".repeat(fifo.filled));
      assert.equal(output.subarray(fifo.filled).toString(), `first\nerror\n${BIG}\nlast\ndone\n`);
      assert.deepEqual({ code, said }, { code: 0, said: "ready\nfinished\n" });
    } finally {
      if (child) await cleanup(child);
      reader?.destroy();
      fifo.remove(reader !== undefined);
    }
  });
});
