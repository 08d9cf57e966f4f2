// The command writes stdout and stderr with write(2) (host/cli/output.ts). On a stdout that is
// non-blocking (its open file is shared: any process holding it may have set O_NONBLOCK) and
// full, a write waits until there is room, as on a blocking pipe: every byte arrives, stdout and
// stderr stay in the order they were written, and nothing is reported.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cleanup, until } from "../util.js";

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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-stdout-"));
    const fifo = path.join(dir, "stdout");
    execFileSync("mkfifo", [fifo]);
    const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fs.constants;
    const readEnd = fs.openSync(fifo, O_RDONLY | O_NONBLOCK);
    let writeEnd: number | undefined = fs.openSync(fifo, O_WRONLY | O_NONBLOCK);
    let reader: net.Socket | undefined;
    let child: ChildProcess | undefined;
    try {
      // Full, then one page read back: the first lines fit, the long one is written in part.
      const page = Buffer.alloc(4096, "-");
      let filled = 0;
      for (;;) {
        try {
          filled += fs.writeSync(writeEnd, page);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
          throw error;
        }
      }
      filled -= fs.readSync(readEnd, Buffer.alloc(page.length));

      child = spawn(process.execPath, ["--input-type=module", "-e", WRITER], { stdio: ["ignore", writeEnd, writeEnd, "pipe"] });
      fs.closeSync(writeEnd);
      writeEnd = undefined;
      let said = "";
      const gate = child.stdio[3] as NodeJS.ReadableStream;
      gate.setEncoding("utf8");
      gate.on("data", (chunk: string) => (said += chunk));
      const pid = child.pid!;
      await until(() => said.includes("ready\n") || child!.exitCode !== null || child!.signalCode !== null);
      assert.equal(said, "ready\n");
      await until(() => child!.exitCode !== null || inEpollWait(pid)); // reaped only between two looks
      assert.equal(child.exitCode, null, "the writer waits for room before anything is read");

      reader = new net.Socket({ fd: readEnd, readable: true, writable: false });
      const chunks: Buffer[] = [];
      reader.on("data", (chunk: Buffer) => chunks.push(chunk));
      const [[code]] = await Promise.all([once(child, "close"), once(reader, "end")]);
      const output = Buffer.concat(chunks);
      assert.equal(output.subarray(0, filled).toString(), "-".repeat(filled));
      assert.equal(output.subarray(filled).toString(), `first\nerror\n${BIG}\nlast\ndone\n`);
      assert.deepEqual({ code, said }, { code: 0, said: "ready\nfinished\n" });
    } finally {
      if (child) await cleanup(child);
      if (writeEnd !== undefined) fs.closeSync(writeEnd);
      if (reader) reader.destroy();
      else fs.closeSync(readEnd);
      fs.rmSync(dir, { recursive: true });
    }
  });
});
