// A write to stdout that fails (a full disk, a pipe nobody reads any more) is one line on stderr
// once the command is done, and exit status 1, as coreutils' close_stdout reports it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { CLI } from "./run_cli.js";

/** Runs `pidfd ...args` with its stdout on /dev/full, where every write fails with ENOSPC; resolves with its exit status and stderr. */
async function pidfdToFullDevice(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = fs.openSync("/dev/full", "w");
  try {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", full, "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const [code] = await once(child, "close");
    return { code: code as number | null, stderr };
  } finally {
    fs.closeSync(full);
  }
}

describe("pidfd (cli): write errors on stdout", () => {
  it("> /dev/full: 'pidfd: write error: No space left on device', exit 1, whatever the command", async () => {
    const expected = { code: 1, stderr: "pidfd: write error: No space left on device\n" };
    for (const args of [["--help"], ["kill", "-l"], ["info", "self"], ["info", "--json", "self"]]) {
      assert.deepEqual(await pidfdToFullDevice(...args), expected, args.join(" "));
    }
  });

  it("a pipe whose reader has gone: 'pidfd: write error: Broken pipe', exit 1", async () => {
    // sh writes into the pipe until a write fails (SIGPIPE ignored): from then on its reader is
    // gone for sure, and sh becomes pidfd with that pipe as its stdout.
    const script = `trap '' PIPE; while printf x 2>/dev/null; do :; done; exec "$0" "$@"`;
    const child = spawn("sh", ["-c", script, process.execPath, CLI, "info", "--json", "self"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const [code] = await once(child, "close");
    assert.deepEqual({ code, stderr }, { code: 1, stderr: "pidfd: write error: Broken pipe\n" });
  });
});
