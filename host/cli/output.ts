// The command's stdout and stderr, shared by the subcommands: written with write(2)
// (fs.writeSync), in the order the command writes them, without building process.stdout or
// process.stderr, whose stream, net and tty modules cost 1.8 to 4.5 ms of every start
// (docs/performance.md). A write blocks until it is whole, as on a blocking pipe: on a full
// stdout or stderr that is non-blocking (its open file may be shared with another process that
// set O_NONBLOCK), EAGAIN waits until there is room (watch.ts waitWritable()), then the rest goes.
import fs from "node:fs";
import { EIO } from "../errno.js";
import { waitWritable } from "../watch.js";

/** stdout's first write error as Node numbers it (-errno): nothing more is written to stdout. */
let stdoutErrno: number | undefined;

/**
 * Writes all of `text` to `fd`: undefined, or the -errno of the write (or of the wait for room)
 * that failed.
 */
function writeWhole(fd: number, text: string): number | undefined {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  while (written < bytes.length) {
    try {
      written += fs.writeSync(fd, bytes, written); // libuv retries EINTR itself
    } catch (error) {
      const { code, errno } = error as NodeJS.ErrnoException;
      if (code !== "EAGAIN") return errno ?? -EIO; // Node gave no errno
      let waited: number;
      try {
        waited = waitWritable(fd);
      } catch {
        return -EIO; // the core could not be loaded to wait with (--help needs it only here)
      }
      if (waited < 0) return waited;
    }
  }
  return undefined;
}

/** Writes `text` to stdout; a failure is kept for stdoutFailure() and ends the output. */
export function writeOut(text: string): void {
  if (stdoutErrno === undefined) stdoutErrno = writeWhole(1, text);
}

/** Writes `text` to stderr, after everything written to stdout so far; a failure has nowhere to go. */
export function writeErr(text: string): void {
  writeWhole(2, text);
}

/** stdout's first write error (-errno, as Node's `error.errno`), if a write to it failed. */
export function stdoutFailure(): number | undefined {
  return stdoutErrno;
}

/**
 * Whether stdout is a terminal. Only a character device can be one, so only then is
 * process.stdout (a tty.WriteStream: its modules, a reopened terminal) built to ask.
 */
export function stdoutIsTerminal(): boolean {
  return fs.fstatSync(1).isCharacterDevice() && process.stdout.isTTY === true;
}

/** Prints `value` as one line of JSON; bigints become decimal strings (JSON has no 64-bit integers). */
export function printJson(value: unknown): void {
  writeOut(`${JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? String(item) : item))}\n`);
}

/** Prints a command's help text on stdout; returns exit code 0. */
export function printHelp(text: string): number {
  writeOut(`${text}\n`);
  return 0;
}
