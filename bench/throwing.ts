// `npm run bench:throwing`: the throwing path on its own, side by side in one run: our
// sendSignal(0) to a reaped process against Node's process.kill(deadPid, 0) throwing its own
// ESRCH, and what each error costs to build. The PidFd's first ESRCH comes from the kernel; from
// then on it knows the process is reaped and throws without the syscall, as isAlive() answers. Timed in
// this process's CPU time (process.cpuUsage(), user + system), which a loaded machine does not
// inflate the way it inflates wall-clock time. Prints a Markdown table with the ratio ours / Node.
// Environment: BENCH_ROUNDS (default 15), BENCH_REP_MS (default 30).
import { asPidFdError, failureMessage } from "../host/errors.js";
import { checkDeadPid, createFixtures } from "./fixtures.js";
import { measure, medianOf, type Group, type Loop } from "./harness.js";
import { ESRCH } from "./raw_koffi.js";

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Runs `body` n times; returns the CPU nanoseconds this process spent. */
function cpuLoop(body: () => void): Loop {
  return (n) => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) body();
    const spent = process.cpuUsage(start);
    return (spent.user + spent.system) * 1000;
  };
}

/** Runs `body`, which must throw ESRCH. */
function expectEsrch(body: () => void): void {
  try {
    body();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
    throw error;
  }
  throw new Error("no ESRCH: the dead pid names a process again");
}

async function main(): Promise<void> {
  const rounds = intEnv("BENCH_ROUNDS", 15);
  const repMs = intEnv("BENCH_REP_MS", 30);
  const fx = await createFixtures();
  try {
    const dead = fx.dead;
    const deadPid = fx.deadPid;
    const groups: Group[] = [
      {
        id: "signal_dead_throw", label: "sendSignal(0) to a dead process (throws ESRCH)",
        variants: [
          { system: "ours", note: "pidfd.sendSignal(0), pidfd of a reaped child", run: cpuLoop(() => expectEsrch(() => dead.sendSignal(0))) },
          {
            system: "Node", note: "process.kill(deadPid, 0)",
            run: (n) => {
              checkDeadPid(deadPid);
              return cpuLoop(() => expectEsrch(() => process.kill(deadPid, 0)))(n);
            },
          },
        ],
      },
      {
        id: "error_construction", label: "building the error alone",
        variants: [
          {
            system: "ours", note: "asPidFdError(new Error(failureMessage(failure)), failure), as sendSignal() throws it",
            run: cpuLoop(() => {
              const failure = { errno: ESRCH, syscall: "pidfd_send_signal", detail: "signal 0" };
              if (asPidFdError(new Error(failureMessage(failure)), failure).errno > 0) throw new Error();
            }),
          },
          {
            system: "Node", note: "new Error(message) and its errno, code, syscall, as Node's ErrnoException",
            run: cpuLoop(() => {
              const error = new Error("kill ESRCH") as NodeJS.ErrnoException;
              error.errno = -ESRCH;
              error.code = "ESRCH";
              error.syscall = "kill";
              if (error.errno > 0) throw new Error();
            }),
          },
        ],
      },
    ];
    const results = await measure(groups, { rounds, repMs, log: (line) => process.stderr.write(`${line}\n`) });
    const lines = ["| operation | ours (ns) | Node (ns) | ours / Node |", "|---|---:|---:|---:|"];
    for (const result of results) {
      const ours = medianOf(result, "ours");
      const node = medianOf(result, "Node");
      const ratio = ours !== undefined && node !== undefined ? (ours / node).toFixed(2) : "—";
      lines.push(`| ${result.label} | ${ours?.toFixed(0) ?? "—"} | ${node?.toFixed(0) ?? "—"} | ${ratio} |`);
    }
    process.stdout.write(`Median CPU ns per operation over ${rounds} interleaved rounds (Node ${process.version}):\n\n${lines.join("\n")}\n`);
  } finally {
    await fx.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
