// Run by saved_identity_reused_pid.test.ts as PID 1 of a new pid namespace (ns_last_pid is per
// namespace): argv[2] times, a child's pidfile and handle are saved, the child exits and is
// reaped, its pid is handed to a newcomer, and the saved identities are opened. Prints one JSON
// line of counts; exits non-zero only if the script itself could not run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PidFd, PidFdError, spawn, writePidfile } from "../../host/index.js";

const REUSES = Number(process.argv[2] ?? 50);
const NS_LAST_PID = "/proc/sys/kernel/ns_last_pid";

/** "opened the newcomer", "opened another process", or the code of the PidFdError thrown. */
function outcome(open: () => PidFd, newcomerId: bigint): string {
  try {
    using pidfd = open();
    return pidfd.getId() === newcomerId ? "opened the newcomer" : "opened another process";
  } catch (error) {
    if (error instanceof PidFdError) return error.code;
    throw error;
  }
}

const counts = { reuses: 0, notReused: [] as { wanted: number; got: number }[], outcomes: {} as Record<string, number> };
const count = (key: string): void => void (counts.outcomes[key] = (counts.outcomes[key] ?? 0) + 1);

if (process.pid !== 1) throw new Error(`not PID 1 of a new pid namespace (pid ${process.pid})`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pidfd-reuse-"));
const pidfile = path.join(dir, "app.pid");
const barePidfile = path.join(dir, "bare.pid");
for (let i = 0; i < REUSES; i++) {
  const old = spawn("sh", ["-c", "read _"], { stdio: ["pipe", "ignore", "ignore"] });
  const pid = old.pid;
  writePidfile(pidfile, old.pidfd);
  fs.writeFileSync(barePidfile, `${pid}\n`);
  const handle = old.pidfd.toHandle();
  old.stdin!.end();
  await old.exited; // reaped: the pid is free
  old.close();

  fs.writeFileSync(NS_LAST_PID, String(pid - 1));
  const newcomer = spawn("sleep", ["1000"], { stdio: "ignore" });
  if (newcomer.pid !== pid) {
    counts.notReused.push({ wanted: pid, got: newcomer.pid });
  } else {
    counts.reuses++;
    const id = newcomer.pidfd.getId();
    count(`fromPidfile: ${outcome(() => PidFd.fromPidfile(pidfile), id)}`);
    count(`fromHandle: ${outcome(() => PidFd.fromHandle(handle), id)}`);
    count(`fromPidfile of the bare pid: ${outcome(() => PidFd.fromPidfile(barePidfile), id)}`);
    count(`fromPidfile of the bare pid, { legacy: true }: ${outcome(() => PidFd.fromPidfile(barePidfile, { legacy: true }), id)}`);
  }
  newcomer.kill("SIGKILL");
  await newcomer.exited;
  newcomer.close();
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(counts));
