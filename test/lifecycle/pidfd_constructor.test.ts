// The PidFd constructor is protected in TypeScript but reachable from JavaScript: `new PidFd(fd)`
// is a TypeError saying where PidFds come from, and it touches no fd.
import assert from "node:assert/strict";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";

describe("new PidFd() from JavaScript", () => {
  it("TypeError ERR_ILLEGAL_CONSTRUCTOR naming PidFd.open(), and the fd stays open", () => {
    const fd = fs.openSync("/dev/null", "r");
    try {
      const Constructor = PidFd as unknown as new (...args: unknown[]) => PidFd;
      for (const args of [[fd], [fd, {}], []]) {
        assert.throws(() => new Constructor(...args), { name: "TypeError", code: "ERR_ILLEGAL_CONSTRUCTOR", message: /PidFd\.open\(\)/ });
      }
      assert.ok(fs.fstatSync(fd).isCharacterDevice(), "the fd was not closed");
    } finally {
      fs.closeSync(fd);
    }
  });
});
