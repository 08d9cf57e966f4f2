// A file without a slash is looked up in the child's PATH, as execvp does in child_process's
// children: options.env.PATH when env is given (else /usr/bin:/bin), never ours; ENOENT when no
// entry has it, EACCES when the only one is not executable; an empty entry is the child's cwd.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PidFdError, spawn } from "../../host/index.js";
import { outputOf } from "./helpers.js";

describe("spawn() looks the file up in the child's PATH", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-path-"));
    fs.writeFileSync(path.join(dir, "pidfd-path-probe"), "#!/bin/sh\necho probe ran\n", { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "pidfd-not-executable"), "#!/bin/sh\nexit 0\n", { mode: 0o644 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("options.env.PATH finds a program that is not in ours", async () => {
    assert.ok(!(process.env.PATH ?? "").split(":").includes(dir));
    const { status, out } = await outputOf(spawn("pidfd-path-probe", [], { env: { PATH: `/nonexistent:${dir}` }, stdio: ["ignore", "pipe", "inherit"] }));
    assert.equal(status.code, 0);
    assert.equal(out, "probe ran\n");
  });

  it("a program in our PATH only: ENOENT, thrown synchronously", () => {
    assert.throws(() => spawn("true", [], { env: { PATH: dir }, stdio: "ignore" }),
      (error: unknown) => error instanceof PidFdError && error.code === "ENOENT" && error.syscall === "posix_spawnp");
  });

  it("the only candidate is not executable: EACCES", () => {
    assert.throws(() => spawn("pidfd-not-executable", [], { env: { PATH: dir }, stdio: "ignore" }), { code: "EACCES" });
  });

  it("an empty entry is the child's cwd", async () => {
    const { out } = await outputOf(spawn("pidfd-path-probe", [], { cwd: dir, env: { PATH: "/nonexistent:" }, stdio: ["ignore", "pipe", "inherit"] }));
    assert.equal(out, "probe ran\n");
  });

  it("an env without PATH: /usr/bin:/bin", async () => {
    const { status } = await outputOf(spawn("true", [], { env: {}, stdio: ["ignore", "pipe", "inherit"] }));
    assert.equal(status.code, 0);
  });
});
