// PidFd.fromSocket() on a real net.Server's unix socket names the process that connected, by the
// pidfd the kernel made for it (SO_PEERPIDFD, Linux 6.5: `verified`); the client's own socket
// names the server, and each pidfd is a new O_CLOEXEC fd of ours.
import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PidFd, spawn } from "../../host/index.js";
import { isCloexec, tempDirPerTest } from "../util.js";

/** A client that connects to argv[1], says "connected", and stays until its stdin ends. */
const CLIENT = `const s = require("net").connect(process.argv[1], () => console.log("connected"));
process.stdin.on("end", () => s.end()).resume();`;

describe("PidFd.fromSocket()", () => {
  const temp = tempDirPerTest("pidfd-socket-");

  it("the server's socket names the client process; the client's names the server", async () => {
    const address = path.join(temp.dir, "server.sock");
    const server = net.createServer();
    server.listen(address);
    await once(server, "listening");
    const accepted = once(server, "connection") as Promise<[net.Socket]>;
    const client = spawn(process.execPath, ["-e", CLIENT, address], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      const [socket] = await accepted;
      const peer = PidFd.fromSocket(socket);
      assert.equal(peer.verified, true);
      assert.equal(peer.pidfd.getId(), client.pidfd.getId());
      assert.equal(peer.pidfd.getPid(), client.pid);
      assert.ok(isCloexec(peer.pidfd.fd));
      peer.pidfd.close();

      const second = once(server, "connection") as Promise<[net.Socket]>;
      const own = net.connect(address);
      const [[mine]] = await Promise.all([second, once(own, "connect")]);
      using self = PidFd.self();
      const fromClientSide = PidFd.fromSocket(own);
      assert.equal(fromClientSide.pidfd.getId(), self.getId(), "the listening process is the peer of a connecting socket");
      fromClientSide.pidfd.close();
      own.destroy();
      mine.destroy();
      socket.destroy();
    } finally {
      client.stdin!.end();
      await client.exited;
      client.close();
      server.close();
    }
  });
});
