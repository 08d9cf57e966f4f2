// A socket peer that has exited before fromSocket(): the kernel keeps the struct pid of the
// process that connected, so the answer is that process or nothing, never one that reused its
// pid. A zombie peer is found; a reaped one is, from Linux 6.16, a pidfd that reports its exit
// (before 6.16 SO_PEERPIDFD refuses it: ESRCH, see fallback_before_6_5.test.ts).
import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PidFd, spawn } from "../../host/index.js";
import { cleanup, firstLine, procStateOf, spawnShell, until, tempDirPerTest } from "../util.js";

/** Connects to argv[1], prints its pid once connected, and exits with code 7. */
const CLIENT = `require("net").connect(process.argv[1], () => { console.log(process.pid); process.exit(7); });`;

/** A server whose sockets do not read until resumed: Node would see the peer's EOF and close them. */
async function listening(address: string): Promise<net.Server> {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(address);
  await once(server, "listening");
  return server;
}

describe("PidFd.fromSocket() of a peer that has exited", () => {
  const temp = tempDirPerTest("pidfd-socket-");

  it("a zombie peer, then the same peer reaped: its own pidfd, not alive once reaped, with its exit status", async () => {
    const address = path.join(temp.dir, "server.sock");
    const server = await listening(address);
    const accepted = once(server, "connection") as Promise<[net.Socket]>;
    // The client's parent execs sleep, which never reaps it: it stays a zombie until sleep is killed.
    const outer = await spawnShell(`${JSON.stringify(process.execPath)} -e '${CLIENT}' ${JSON.stringify(address)} & exec sleep infinity`);
    try {
      const [[socket], line] = await Promise.all([accepted, firstLine(outer)]);
      const pid = Number(line);
      await until(() => procStateOf(pid) === "Z");
      using zombie = PidFd.open(pid); // safe: a zombie's pid is not free
      const whileZombie = PidFd.fromSocket(socket);
      assert.equal(whileZombie.verified, true);
      assert.equal(whileZombie.pidfd.getId(), zombie.getId());
      whileZombie.pidfd.close();

      outer.kill("SIGKILL"); // init reaps the zombie
      await until(() => procStateOf(pid) === null);
      const reaped = PidFd.fromSocket(socket);
      assert.equal(reaped.verified, true);
      assert.equal(reaped.pidfd.getId(), zombie.getId());
      assert.equal(reaped.pidfd.isAlive(), false);
      assert.throws(() => reaped.pidfd.getPid(), { code: "ESRCH" });
      assert.equal(reaped.pidfd.getInfo().exit?.code, 7);
      reaped.pidfd.close();
      socket.destroy();
    } finally {
      await cleanup(outer);
      server.close();
    }
  });

  it("a peer reaped by us before the call: its pidfd, with its exit status", async () => {
    const address = path.join(temp.dir, "server.sock");
    const server = await listening(address);
    const accepted = once(server, "connection") as Promise<[net.Socket]>;
    const client = spawn(process.execPath, ["-e", CLIENT, address], { stdio: ["ignore", "ignore", "inherit"] });
    const id = client.pidfd.getId();
    const [[socket], status] = await Promise.all([accepted, client.exited]);
    client.close();
    assert.equal(status.code, 7);
    const peer = PidFd.fromSocket(socket);
    assert.equal(peer.pidfd.getId(), id);
    assert.equal(peer.pidfd.isAlive(), false);
    assert.equal(peer.pidfd.getInfo().exit?.code, 7);
    peer.pidfd.close();
    socket.destroy();
    server.close();
  });
});
