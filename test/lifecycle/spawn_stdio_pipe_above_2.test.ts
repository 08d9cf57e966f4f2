// "pipe" above fd 2 is a socket, both ways (child_process's pipes are sockets too): subprocess.stdio[n].
import assert from "node:assert/strict";
import type { Duplex } from "node:stream";
import { spawn } from "../../host/index.js";

describe('spawn() with "pipe" above fd 2', () => {
  it("the child writes and reads its fd 3; stdio[3] is our end", async () => {
    const child = spawn("sh", ["-c", "echo hello >&3; read line <&3; echo \"got $line\" >&3"], { stdio: ["ignore", "ignore", "inherit", "pipe"] });
    const socket = child.stdio[3] as Duplex;
    assert.equal(child.stdio.length, 4);
    assert.deepEqual(child.stdio.slice(0, 3), [null, null, null]);
    const received: string[] = [];
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received.push(chunk);
      if (chunk === "hello\n") socket.write("back\n");
    });
    const [status] = await Promise.all([child.exited, new Promise((resolve) => socket.on("end", resolve))]);
    assert.equal(status.code, 0);
    assert.equal(received.join(""), "hello\ngot back\n");
  });
});
