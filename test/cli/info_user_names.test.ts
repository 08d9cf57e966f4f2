// pidfd info names users and groups through libc's NSS lookups (getpwuid_r, getgrgid_r), as
// id(1) does: the names getent(1) gives, from every source /etc/nsswitch.conf lists, and no
// name when nsswitch.conf lists no source that knows the id, whatever /etc/passwd says.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CLI, pidfd } from "./run_cli.js";

const run = promisify(execFile);

interface NamedId {
  id: number;
  name: string | null;
}

/** The real uid and gid of `pidfd info --json self`, with their names, from its output. */
function realIds(stdout: string): { uid: NamedId; gid: NamedId } {
  const report = JSON.parse(stdout) as { uids: { real: NamedId }; gids: { real: NamedId } };
  return { uid: report.uids.real, gid: report.gids.real };
}

/** The first field of `getent <database> <id>` (NSS, as getpwuid/getgrgid see it), or null. */
async function getentName(database: "passwd" | "group", id: number): Promise<string | null> {
  try {
    return (await run("getent", [database, String(id)], { encoding: "utf8" })).stdout.split(":")[0]!;
  } catch {
    return null;
  }
}

describe("pidfd info (cli): user and group names through NSS", () => {
  it("are the names getent passwd/group gives", async () => {
    const { code, stdout, stderr } = await pidfd("info", "--json", "self");
    assert.deepEqual({ code, stderr }, { code: 0, stderr: "" });
    const { uid, gid } = realIds(stdout);
    assert.deepEqual(uid, { id: os.userInfo().uid, name: await getentName("passwd", uid.id) });
    assert.deepEqual(gid, { id: os.userInfo().gid, name: await getentName("group", gid.id) });
  });

  it("follow /etc/nsswitch.conf: with no source that exists for passwd and group, no names, although /etc/passwd has them", async function () {
    if (process.getuid!() !== 0) this.skip(); // a private mount namespace needs root
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-nss-"));
    try {
      const conf = path.join(dir, "nsswitch.conf");
      fs.writeFileSync(conf, "passwd: pidfd-no-such-service\ngroup: pidfd-no-such-service\n");
      // unshare -m: the bind mount is private to that namespace, gone with its last process.
      const { stdout } = await run("unshare", ["-m", "sh", "-c", 'mount --bind "$0" /etc/nsswitch.conf && exec "$@"',
        conf, process.execPath, CLI, "info", "--json", "self"], { encoding: "utf8" });
      const { uid, gid } = realIds(stdout);
      assert.deepEqual({ uid, gid }, { uid: { id: uid.id, name: null }, gid: { id: gid.id, name: null } });
      assert.ok(fs.readFileSync("/etc/passwd", "utf8").split("\n").some((line) => line.split(":")[2] === String(uid.id)),
        "/etc/passwd names the uid");
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
