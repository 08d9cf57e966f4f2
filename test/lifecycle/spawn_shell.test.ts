// shell: the command line (file and args joined by spaces) runs in /bin/sh -c, or in the shell
// given, as child_process does; spawnfile and spawnargs say so.
import assert from "node:assert/strict";
import { spawn as nodeSpawn } from "node:child_process";
import { once } from "node:events";
import { spawn } from "../../host/index.js";
import { outputOf } from "./helpers.js";

describe("spawn() with shell", () => {
  it("true: /bin/sh -c with the joined command line, as child_process", async () => {
    const child = spawn("echo $0 $((6 * 7))", ["and", "more"], { shell: true, stdio: ["ignore", "pipe", "inherit"] });
    const node = nodeSpawn("echo $0 $((6 * 7))", ["and", "more"], { shell: true, stdio: "ignore" });
    await once(node, "exit");
    assert.equal(child.spawnfile, node.spawnfile);
    assert.deepEqual(child.spawnargs, node.spawnargs);
    assert.deepEqual(child.spawnargs, ["/bin/sh", "-c", "echo $0 $((6 * 7)) and more"]);
    const { status, out } = await outputOf(child);
    assert.equal(status.code, 0);
    assert.equal(out, "/bin/sh 42 and more\n");
  });

  it("a string: that shell", async () => {
    const { out } = await outputOf(spawn("echo $0", [], { shell: "/bin/bash", stdio: ["ignore", "pipe", "inherit"] }));
    assert.equal(out, "/bin/bash\n");
  });

  it("false or an empty string: no shell", async () => {
    for (const shell of [false, ""]) {
      const { out } = await outputOf(spawn("echo", ["$HOME"], { shell, stdio: ["ignore", "pipe", "inherit"] }));
      assert.equal(out, "$HOME\n");
    }
  });
});
