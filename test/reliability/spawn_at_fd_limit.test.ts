// spawn() at the fd limit: every resource a spawn needs (pipes, pidfd, the epoll set and its
// watch) is acquired before spawn() returns; a failure is thrown there, after the child has been
// killed and reaped, never a lost child whose `exited` rejects later. Run in a child process
// whose own fd table is filled, so that the test runner's fds are untouched.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const INDEX = new URL("../../host/index.js", import.meta.url).href;

describe("spawn() at the fd limit", () => {
  it("the epoll set cannot be made: EMFILE thrown by spawn(), the child killed and reaped", async () => {
    const script = `import { PidFd, spawn } from ${JSON.stringify(INDEX)};
      import fs from "node:fs";
      PidFd.self().close(); // the core and koffi, loaded with fds to spare
      const filler = [];
      for (;;) {
        try { filler.push(fs.openSync("/dev/null", "r")); } catch { break; }
      }
      fs.closeSync(filler.pop()); // one free fd: the pidfd fits, the first epoll set does not
      const children = () => fs.readdirSync("/proc/self/task").flatMap((tid) =>
        fs.readFileSync("/proc/self/task/" + tid + "/children", "latin1").trim().split(/\\s+/).filter(Boolean));
      let error;
      try {
        spawn("sleep", ["30"], { stdio: "ignore" });
      } catch (e) {
        error = { name: e.name, code: e.code, syscall: e.syscall };
      }
      const free = filler.length;
      for (const fd of filler) fs.closeSync(fd);
      console.log(JSON.stringify({ error, children: children(), free }));`;
    const { stdout } = await promisify(execFile)("sh", ["-c", `ulimit -n 64; exec "${process.execPath}" --input-type=module -e '${script.replace(/'/g, "'\\''")}'`],
      { encoding: "utf8" });
    const result = JSON.parse(stdout) as { error?: { name: string; code: string; syscall: string }; children: string[] };
    assert.deepEqual(result.error, { name: "PidFdError", code: "EMFILE", syscall: "epoll_create1" });
    assert.deepEqual(result.children, [], "no child left, not even a zombie");
  });
});
