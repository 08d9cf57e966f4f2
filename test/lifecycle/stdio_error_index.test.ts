// A stdio fd that is not open is EBADF from fcntl naming the entry (stdio[i]) and the fd, thrown
// before anything starts, with no fd left behind.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFdError, spawn } from "../../host/index.js";
import { openFds } from "../util.js";
import { zombieChildren } from "./helpers.js";

describe("a bad fd in stdio", () => {
  it("EBADF naming stdio[i] and the fd", () => {
    // A number far above every fd in use: the pipes made for the other entries cannot get it.
    const closed = 999;
    assert.throws(() => fs.fstatSync(closed), { code: "EBADF" });
    const before = openFds().length;
    for (const [stdio, index] of [[[closed], 0], [["ignore", "pipe", "ignore", closed], 3]] as const) {
      assert.throws(() => spawn("true", [], { stdio }), (error: unknown) => {
        assert.ok(error instanceof PidFdError);
        assert.equal(error.code, "EBADF");
        assert.equal(error.syscall, "fcntl");
        assert.equal(error.message, `EBADF: bad file descriptor, fcntl (stdio[${index}]: fd ${closed})`);
        return true;
      });
    }
    assert.equal(openFds().length, before);
    assert.deepEqual(zombieChildren(), []);
  });
});
