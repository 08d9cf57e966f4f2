// The command's stdout, shared by the subcommands. Written with write(2) on fd 1 (fs.writeSync),
// which is what process.stdout does on Linux for a file, a pipe or a terminal (synchronous
// writes), without building process.stdout: its stream, net and tty modules cost 1.8 ms (a
// file), 3 to 4 ms (a pipe) and 4 to 4.5 ms (a terminal) of every start (docs/performance.md).
import fs from "node:fs";

/** stdout's first write error (ENOSPC, EPIPE): nothing more is written; runCli() reports it. */
let failure: NodeJS.ErrnoException | undefined;
/**
 * process.stdout, once a write would have blocked (a stdout that another process made
 * non-blocking): libuv then waits until the pipe has room. Everything after goes through it too,
 * so that the output stays in order.
 */
let stream: NodeJS.WriteStream | undefined;

/** Writes `text` to stdout, whole; a failure is kept for stdoutFinished() and ends the output. */
export function writeOut(text: string): void {
  if (failure) return;
  if (stream) {
    stream.write(text);
    return;
  }
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  while (written < bytes.length) {
    try {
      written += fs.writeSync(1, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EINTR") continue;
      if (code !== "EAGAIN") {
        failure = error as NodeJS.ErrnoException;
        return;
      }
      stream = process.stdout;
      stream.on("error", (streamError: NodeJS.ErrnoException) => (failure ??= streamError));
      stream.write(bytes.subarray(written));
      return;
    }
  }
}

/**
 * Resolves once everything written has left (at once, unless process.stdout took over) with
 * stdout's first write error, if any.
 */
export async function stdoutFinished(): Promise<NodeJS.ErrnoException | undefined> {
  if (stream && !failure) {
    const active = stream;
    const flushError = await new Promise<Error | null | undefined>((resolve) => active.write("", resolve));
    await new Promise(setImmediate); // a failed write's "error" event comes on a next tick
    failure ??= flushError ?? undefined;
  }
  return failure;
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
