// pidfd kill -l and -L list the signals as util-linux kill(1) does, and -l <arg> converts
// between a signal's number and name.
import assert from "node:assert/strict";
import { pidfd } from "./run_cli.js";

/** The names Linux x86-64 has, by number (aliases after the name they share a number with), as util-linux lists them. */
const NAMES = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
  "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
  "WINCH", "IO", "POLL", "PWR", "SYS"];

describe("pidfd kill -l / -L (cli): the signal lists", () => {
  it("-l (--list): every name, one per line when not a terminal, then the real-time forms", async () => {
    const expected = { code: 0, stdout: `${[...NAMES, "RT<N>", "RTMIN+<N>", "RTMAX-<N>"].join("\n")}\n`, stderr: "" };
    assert.deepEqual(await pidfd("kill", "-l"), expected);
    assert.deepEqual(await pidfd("kill", "--list"), expected);
  });

  it("-L (--table): number and name, one per line, then RTMIN and RTMAX", async () => {
    const { code, stdout, stderr } = await pidfd("kill", "-L");
    assert.equal(stderr, "");
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.deepEqual(lines.map((line) => line.trim().split(" ")[1]), [...NAMES, "RTMIN", "RTMAX"]);
    assert.deepEqual(lines.slice(0, 3), [" 1 HUP", " 2 INT", " 3 QUIT"]);
    assert.deepEqual(lines.slice(-2), ["34 RTMIN", "64 RTMAX"]);
    assert.deepEqual(await pidfd("kill", "--table"), { code, stdout, stderr });
  });

  it("-l <arg>: a number (or an exit status 128+n) gives the name, a name the number, a mask the names", async () => {
    const cases: [string, string][] = [
      ["9", "KILL"], ["137", "KILL"], ["15", "TERM"], ["0", "0"], ["34", "RTMIN"], ["37", "RTMIN+3"], ["64", "RTMAX"],
      ["KILL", "9"], ["sigterm", "15"], ["RTMIN+3", "37"], ["SIGRTMAX-1", "63"], ["rt2", "36"],
      ["0x384000", "TERM\nTSTP\nTTIN\nTTOU"], ["--list=2", "INT"],
    ];
    const results = await Promise.all(cases.map(([arg]) => arg.startsWith("--") ? pidfd("kill", arg) : pidfd("kill", "-l", arg)));
    cases.forEach(([arg, output], i) => assert.deepEqual(results[i], { code: 0, stdout: `${output}\n`, stderr: "" }, arg));
  });
});
