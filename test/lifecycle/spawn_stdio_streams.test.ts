// A stdio entry may be a stream of ours with an fd, as in child_process: an fs stream once open,
// a net.Socket; its fd is what the child gets. An fs stream before its 'open' has no fd yet: TypeError.
import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { text } from "node:stream/consumers";
import { spawn } from "../../host/index.js";
import { tempDirPerTest } from "../util.js";

describe("spawn() with streams as stdio", () => {
  const temp = tempDirPerTest("pidfd-stdio-stream-");

  it("an fs.WriteStream after 'open': the child writes into its file", async () => {
    const file = path.join(temp.dir, "out");
    const stream = fs.createWriteStream(file);
    await once(stream, "open");
    try {
      const child = spawn("echo", ["into the file"], { stdio: ["ignore", stream, "inherit"] });
      assert.equal(child.stdout, null);
      assert.equal((await child.exited).code, 0);
    } finally {
      stream.close();
    }
    assert.equal(fs.readFileSync(file, "utf8"), "into the file\n");
  });

  it("a connected net.Socket: the child writes to the peer", async () => {
    const server = net.createServer();
    server.listen(path.join(temp.dir, "socket"));
    await once(server, "listening");
    const client = net.connect(path.join(temp.dir, "socket"));
    const [peer] = await once(server, "connection") as [net.Socket];
    try {
      const child = spawn("echo", ["over the socket"], { stdio: ["ignore", client, "inherit"] });
      assert.equal((await child.exited).code, 0);
      client.end();
      assert.equal(await text(peer), "over the socket\n");
    } finally {
      client.destroy();
      peer.destroy();
      server.close();
    }
  });

  it("an fs stream before 'open': TypeError naming the entry", async () => {
    const stream = fs.createWriteStream(path.join(temp.dir, "later"));
    try {
      assert.throws(() => spawn("true", [], { stdio: ["ignore", stream, "ignore"] }),
        { name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: /^The "options\.stdio\[1\]" property must be .*a stream with an fd/ });
    } finally {
      await once(stream.end(), "close");
    }
  });
});
