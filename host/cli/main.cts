#!/usr/bin/env node
// The `pidfd` command's entry point, a CommonJS script: Node runs it without its ES module
// loader. It turns on the compile cache, then loads the command, which the build bundles into
// one CommonJS file (dist/host/cli_bundle.cjs, docs/cli.md). Loading it is the only thing that
// can fail here: that failure (too many open files, a broken install) is one line on stderr and
// exit status 125, not a module-loader stack trace.
import fs = require("node:fs");
import nodeModule = require("node:module");
import util = require("node:util");

// Node's on-disk compile cache (Node 22.1+; NODE_DISABLE_COMPILE_CACHE=1 turns it off): the
// second start of pidfd compiles none of its code. Node 20 has none.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** The exit status when pidfd cannot start: 125, "pidfd itself failed" (docs/cli.md). */
const CANNOT_START = 125;

/** "cannot load <file>: Too many open files" for a failed read, else the error's first line. */
function startFailure(error: unknown): string {
  const { errno, path } = error as NodeJS.ErrnoException;
  const text = typeof errno === "number" ? util.getSystemErrorMap().get(errno)?.[1] : undefined;
  if (text !== undefined) return `cannot ${path === undefined ? "start" : `load ${path}`}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return `cannot start: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`;
}

let cli: typeof import("./dispatch.js", { with: { "resolution-mode": "import" } }) | undefined;
try {
  cli = require("../cli_bundle.cjs") as typeof cli;
} catch (error) {
  // fs.writeSync: process.stderr may itself need an fd (a TTY is reopened), and there is none left.
  fs.writeSync(2, `pidfd: ${startFailure(error)}\n`);
  if (process.env.PIDFD_DEBUG && error instanceof Error) fs.writeSync(2, `${error.stack}\n`);
  process.exitCode = CANNOT_START;
}
void cli?.runCli(startFailure);
