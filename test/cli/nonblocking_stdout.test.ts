// The command writes stdout with write(2) (host/cli/output.ts). A stdout that is non-blocking
// (its open file is shared: any process holding it may have set O_NONBLOCK) and full says
// EAGAIN; what is left then goes through process.stdout, which waits until the pipe has room:
// every byte arrives, in order, and nothing is reported.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const OUTPUT = fileURLToPath(new URL("../../host/cli/output.js", import.meta.url));
const LIBC = fileURLToPath(new URL("../../host/sys/libc.js", import.meta.url));

/**
 * Sets O_NONBLOCK on its stdout (libuv's spawn has just cleared it), writes three lines with
 * writeOut(), says "queued" on stderr (the pipe is still full: nobody has read it yet), then
 * says on stderr what stdoutFinished() resolves with.
 */
const WRITER = `
import { stdoutFinished, writeOut } from ${JSON.stringify(OUTPUT)};
import { libc } from ${JSON.stringify(LIBC)};
import fs from "node:fs";
const fcntl = libc().func("int fcntl(int fd, int cmd, int arg)");
const F_GETFL = 3, F_SETFL = 4;
if (fcntl(1, F_SETFL, fcntl(1, F_GETFL, 0) | ${fs.constants.O_NONBLOCK}) !== 0) throw new Error("fcntl failed");
writeOut("first\\n");
writeOut("x".repeat(100000) + "\\n");
writeOut("last\\n");
fs.writeSync(2, "queued\\n");
const failure = await stdoutFinished();
fs.writeSync(2, failure ? failure.code + "\\n" : "finished\\n");
`;

describe("pidfd (cli): a non-blocking stdout", () => {
  it("full when the command writes: the rest goes out once the pipe has room, every byte in order", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-stdout-"));
    const fifo = path.join(dir, "stdout");
    execFileSync("mkfifo", [fifo]);
    const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fs.constants;
    const readEnd = fs.openSync(fifo, O_RDONLY | O_NONBLOCK);
    let writeEnd: number | undefined = fs.openSync(fifo, O_WRONLY | O_NONBLOCK);
    let reader: net.Socket | undefined;
    try {
      const filler = Buffer.alloc(4096, "-");
      let filled = 0;
      for (;;) {
        try {
          filled += fs.writeSync(writeEnd, filler);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
          throw error;
        }
      }
      const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER], { stdio: ["ignore", writeEnd, "pipe"] });
      fs.closeSync(writeEnd);
      writeEnd = undefined;
      let stderr = "";
      const queued = new Promise<void>((resolve) => child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        if (stderr.includes("queued\n")) resolve();
      }));
      await Promise.race([queued, once(child, "exit")]);
      assert.equal(stderr, "queued\n", "the writer waits for room before anything is read");

      reader = new net.Socket({ fd: readEnd, readable: true, writable: false });
      const chunks: Buffer[] = [];
      reader.on("data", (chunk: Buffer) => chunks.push(chunk));
      const [[code]] = await Promise.all([once(child, "close"), once(reader, "end")]);
      const output = Buffer.concat(chunks);
      assert.equal(output.subarray(0, filled).toString(), "-".repeat(filled));
      assert.equal(output.subarray(filled).toString(), `first\n${"x".repeat(100000)}\nlast\n`);
      assert.deepEqual({ code, stderr }, { code: 0, stderr: "queued\nfinished\n" });
    } finally {
      if (writeEnd !== undefined) fs.closeSync(writeEnd);
      if (reader) reader.destroy();
      else fs.closeSync(readEnd);
      fs.rmSync(dir, { recursive: true });
    }
  });
});
