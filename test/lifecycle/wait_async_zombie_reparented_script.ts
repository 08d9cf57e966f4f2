// Run by wait_async_zombie_reparented.test.ts in a process of its own (a subreaper stays one):
// this process becomes a child subreaper; a zombie of its child `cat` (a subshell that exited 7,
// never reaped: cat does not wait) is waited for with waitAsync({ reapGrace }); once the wait is in
// its grace, cat exits and the zombie is reparented to us. Prints one JSON line.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { koffiSyscalls } from "../../host/embed.js";
import { PidFd } from "../../host/index.js";
import { procStateOf, until } from "../util.js";

/** How /proc/self/fdinfo shows a pidfd armed for no event (the reapGrace's wait for the hang-up). */
const ARMED_FOR_HANGUP_ONLY = 0x40000018; // EPOLLONESHOT, and the EPOLLHUP | EPOLLERR epoll always adds

/** Whether pidfd `fd` waits in an epoll set of this process for its reap only: waitAsync() is in its reapGrace. */
function inReapGrace(fd: number): boolean {
  const entry = new RegExp(`^tfd:\\s+${fd}\\s+events:\\s+([0-9a-f]+)`, "m");
  return fs.readdirSync("/proc/self/fd").some((n) => {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${n}`) !== "anon_inode:[eventpoll]") return false;
      const events = entry.exec(fs.readFileSync(`/proc/self/fdinfo/${n}`, "latin1"))?.[1];
      return events !== undefined && Number.parseInt(events, 16) === ARMED_FOR_HANGUP_ONLY;
    } catch {
      return false; // closed meanwhile
    }
  });
}

if (koffiSyscalls().processSyscalls!.setChildSubreaper(true) !== 0) throw new Error("prctl(PR_SET_CHILD_SUBREAPER) failed");
// The subshell exits (closing fd 3 ends its read) once its parent is cat, which never reaps it
// (sh might, before its exec).
const cat = spawn("sh", ["-c", "(read line <&3; exit 7) & echo $!; exec cat"], { stdio: ["pipe", "pipe", "inherit", "pipe"] });
const [line] = await once(createInterface({ input: cat.stdout! }), "line");
const zombiePid = Number(line);
await until(() => fs.readFileSync(`/proc/${cat.pid}/comm`, "latin1") === "cat\n");
(cat.stdio[3] as Writable).end();
await until(() => procStateOf(zombiePid) === "Z");
using zombie = PidFd.open(zombiePid);
zombie.reaping = "reap";
const waited = zombie.waitAsync({ reapGrace: 2000, timeout: 10000 });
await until(() => inReapGrace(zombie.fd));
cat.stdin!.end();
await once(cat, "exit");
const status = await waited;
console.log(JSON.stringify({ status: String(status), reaped: procStateOf(zombiePid) === null }));
