// pidfs numbers processes from 2 again at every boot (fs/pidfs.c, pidfs_add_pid), so the id in a
// handle from another boot may be some other process's today: fromHandle() refuses it (ESRCH)
// before any syscall could find that process, even when pid and id name a live process now.
import assert from "node:assert/strict";
import { PidFd } from "../../host/index.js";

describe("PidFd.fromHandle()", () => {
  it("a handle from another boot gives ESRCH, though its pid and id are a live process's", () => {
    using self = PidFd.self();
    const handle = self.toHandle();
    handle[12]! ^= 0xff; // another boot id
    assert.throws(() => PidFd.fromHandle(handle), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, "ESRCH");
      assert.match(error.message, /from another boot/);
      return true;
    });
    assert.ok(self.isAlive());
  });
});
