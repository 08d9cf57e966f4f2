// pidfd --help, --version, command dispatch and usage errors.
import assert from "node:assert/strict";
import fs from "node:fs";
import { pidfd, CLI } from "./run_cli.js";

const COMMANDS = ["info", "wait", "kill", "run", "getfd"];

describe("pidfd (cli): dispatch", () => {
  it("--version prints the version from package.json", async () => {
    const manifest = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const { code, stdout, stderr } = await pidfd(flag);
      assert.equal(code, 0);
      assert.equal(stdout, `pidfd ${manifest.version}\n`);
      assert.equal(stderr, "");
    }
  });

  it("--help lists every command and the exit statuses, and exits 0", async () => {
    const { code, stdout, stderr } = await pidfd("--help");
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(stdout, /^Usage: pidfd <command>/);
    for (const name of COMMANDS) assert.match(stdout, new RegExp(`^  ${name} `, "m"));
    assert.match(stdout, /^Exit status: 0 success; 1 /m);
  });

  it("every --help is self-contained: it names no file of the source tree (an installed pidfd has none), only pidfd(1)", async () => {
    const helps = await Promise.all([pidfd("--help"), ...COMMANDS.map((name) => pidfd(name, "--help"))]);
    for (const { stdout } of helps) assert.doesNotMatch(stdout, /docs\/|\.md\b/, stdout.split("\n")[0]);
    assert.match(helps[0]!.stdout, /The manual page is pidfd\(1\)\.\n$/);
  });

  for (const name of COMMANDS) {
    it(`${name} --help, -h and "help ${name}" print the command's usage`, async () => {
      const results = await Promise.all([pidfd(name, "--help"), pidfd(name, "-h"), pidfd("help", name)]);
      for (const { code, stdout, stderr } of results) {
        assert.equal(code, 0);
        assert.equal(stderr, "");
        assert.match(stdout, new RegExp(`^Usage: pidfd ${name} `));
        assert.match(stdout, /Exit status:/);
      }
    });
  }

  it("no command, an unknown command or an unknown option: one line on stderr, exit 125", async () => {
    for (const [args, message] of [
      [[], "pidfd: no command given (see 'pidfd --help')\n"],
      [["frobnicate"], "pidfd: unknown command 'frobnicate' (see 'pidfd --help')\n"],
      [["--frobnicate"], "pidfd: unknown option '--frobnicate' (see 'pidfd --help')\n"],
    ] as const) {
      const { code, stdout, stderr } = await pidfd(...args);
      assert.equal(code, 125, String(args));
      assert.equal(stdout, "");
      assert.equal(stderr, message);
    }
  });

  it("an unknown option of a command names the command", async () => {
    const { code, stderr } = await pidfd("info", "--frobnicate", "self");
    assert.equal(code, 125);
    assert.equal(stderr, "pidfd: info: unknown option '--frobnicate' (see 'pidfd info --help')\n");
  });

  it("the built entry point has a node shebang and is executable (npm's bin)", () => {
    assert.match(fs.readFileSync(CLI, "utf8"), /^#!\/usr\/bin\/env node\n/);
    assert.ok((fs.statSync(CLI).mode & 0o111) !== 0, "dist/host/cli/main.cjs is not executable");
    const manifest = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { bin: Record<string, string> };
    assert.equal(manifest.bin.pidfd, "dist/host/cli/main.cjs");
  });
});
