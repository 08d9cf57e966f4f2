#!/usr/bin/env node
// The `pidfd` command's entry point. It imports nothing of the package statically: a failure to
// load the commands (too many open files, a broken install) is then one line on stderr and exit
// status 125, not a module-loader stack trace.
import fs from "node:fs";
import module from "node:module";
import util from "node:util";

// Node's on-disk compile cache (Node 22.1+; NODE_DISABLE_COMPILE_CACHE=1 turns it off): the
// second start of pidfd compiles none of its modules. Node 20 has none.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** The exit status when pidfd cannot start: 125, "pidfd itself failed" (docs/cli.md). */
const CANNOT_START = 125;

/** "cannot load <file>: Too many open files" for a failed read, else the error's first line. */
function startFailure(error: unknown): string {
  const { errno, path } = error as NodeJS.ErrnoException;
  const text = typeof errno === "number" ? util.getSystemErrorMap().get(errno)?.[1] : undefined;
  if (text !== undefined) return `cannot ${path === undefined ? "start" : `load ${path}`}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return `cannot start: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`;
}

let cli: typeof import("./dispatch.js") | undefined;
try {
  // require() of an ES module (Node 20.19+, 22.12+): the commands' modules load synchronously,
  // about 0.2 ms each here against 0.4 to 0.5 ms through import()'s asynchronous loader.
  cli = module.createRequire(import.meta.url)("./dispatch.js") as typeof import("./dispatch.js");
} catch (error) {
  // fs.writeSync: process.stderr may itself need an fd (a TTY is reopened), and there is none left.
  fs.writeSync(2, `pidfd: ${startFailure(error)}\n`);
  if (process.env.PIDFD_DEBUG && error instanceof Error) fs.writeSync(2, `${error.stack}\n`);
  process.exitCode = CANNOT_START;
}
await cli?.runCli(startFailure);
