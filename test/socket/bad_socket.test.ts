// fromSocket() of anything but a connected unix socket: a clear error, no fd left open.
import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import { PidFd } from "../../host/index.js";
import { openFds } from "../util.js";

describe("PidFd.fromSocket() of no connected unix socket", () => {
  it("ENOTSOCK for a file, ENODATA for a TCP socket (no peer process), TypeError for no socket or an unconnected one", async () => {
    let before = openFds();
    const file = fs.openSync("/dev/null", "r");
    try {
      assert.throws(() => PidFd.fromSocket(file), { name: "PidFdError", code: "ENOTSOCK", syscall: "getsockopt" });
    } finally {
      fs.closeSync(file);
    }
    assert.deepEqual(openFds(), before, "no fd left by the call on a file");
    const server = net.createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const tcp = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
    await once(tcp, "connect");
    before = openFds();
    assert.throws(() => PidFd.fromSocket(tcp), { name: "PidFdError", code: "ENODATA" });
    assert.throws(() => PidFd.fromSocket(new net.Socket()), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE" });
    for (const value of [undefined, "3", {}, -1, 1.5]) {
      assert.throws(() => PidFd.fromSocket(value as never), (error: Error & { code?: string }) =>
        error.code === "ERR_INVALID_ARG_TYPE" || error.code === "ERR_OUT_OF_RANGE");
    }
    assert.deepEqual(openFds(), before);
    tcp.destroy();
    server.close();
  });
});
