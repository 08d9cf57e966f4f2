// The manual page man/pidfd.1: it renders without a warning, it describes every option each
// command's --help lists, and the package installs it (package.json "man", in "files").
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pidfd } from "./run_cli.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MAN_PAGE = `${ROOT}man/pidfd.1`;
const COMMANDS = ["info", "tree", "wait", "kill", "run", "getfd"];
const run = promisify(execFile);

/** Whether `program` is installed (found in PATH). */
async function installed(program: string): Promise<boolean> {
  return run("sh", ["-c", 'command -v "$0"', program]).then(() => true, () => false);
}

/** The long options a --help text lists in its Options section ("--timeout", "--kill-after", ...). */
function longOptions(help: string): string[] {
  const options = help.slice(help.indexOf("\nOptions:\n"));
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((match) => match[1]!);
}

describe("pidfd (cli): the manual page pidfd(1)", () => {
  it("renders with groff -man -ww without a warning, at any width", async function () {
    if (!(await installed("groff"))) this.skip();
    for (const width of [60, 80, 120]) {
      const { stderr } = await run("groff", ["-man", "-Tutf8", "-ww", `-rLL=${width}n`, "-z", MAN_PAGE], { encoding: "utf8" });
      assert.equal(stderr, "", `at ${width} columns`);
    }
  });

  it("man -l renders it: NAME, then every command's section", async function () {
    if (!(await installed("man"))) this.skip();
    const { stdout } = await run("man", ["-l", MAN_PAGE], { encoding: "utf8", env: { ...process.env, MANWIDTH: "80", MANPAGER: "cat" } });
    assert.match(stdout, /^NAME\n {7}pidfd +- show, wait for, signal and run processes/m);
    for (const name of COMMANDS) assert.match(stdout, new RegExp(`^ {3}pidfd +${name} `, "m"), name);
  });

  it("describes every option of every command's --help, and has the package's version", async () => {
    const page = fs.readFileSync(MAN_PAGE, "utf8").replaceAll("\\-", "-");
    for (const name of COMMANDS) {
      const { stdout } = await pidfd(name, "--help");
      for (const option of longOptions(stdout).filter((option) => option !== "--help")) {
        assert.ok(page.includes(option), `pidfd ${name} ${option} is not in man/pidfd.1`);
      }
    }
    const manifest = JSON.parse(fs.readFileSync(`${ROOT}package.json`, "utf8")) as { version: string };
    assert.match(page, new RegExp(`^\\.TH PIDFD 1 \\S+ "pidfd ${manifest.version.replaceAll(".", "\\.")}"`, "m"));
  });

  it("is installed with the package: package.json's man lists it, npm pack includes it", async () => {
    const manifest = JSON.parse(fs.readFileSync(`${ROOT}package.json`, "utf8")) as { man: string[] };
    assert.deepEqual(manifest.man, ["./man/pidfd.1"]);
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    assert.ok(files.some((file) => file.path === "man/pidfd.1"), "npm pack leaves man/pidfd.1 out");
  });
});
