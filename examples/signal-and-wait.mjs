// Spawns a child, signals it through its pidfd and waits for its exit status: plain JavaScript
// for Node 20.19+ and 22.12+ (README.md shows the same with `using`, for TypeScript and Node 24).
//
//   node examples/signal-and-wait.mjs
import { spawn } from "pidfd";

const child = spawn("sleep", ["60"], { stdio: "ignore" }); // posix_spawn, pidfd from the start
try {
  console.log(child);                 // Subprocess { pid: 4242, fd: 21, state: 'running' }
  child.pidfd.sendSignal("TERM");     // pidfd_send_signal: never hits a reused pid
  const status = await child.exited;  // ExitStatus: kind, code, signal, coreDumped
  console.log(`${status}`);           // killed by SIGTERM
  console.log(child);                 // Subprocess { pid: 4242, fd: -1, state: 'exited' }
} finally {
  child.close();                      // kills and reaps the child if it still runs
}
