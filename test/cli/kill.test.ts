// pidfd kill: signals reach our own children through a pidfd; bad input never signals anything.
import assert from "node:assert/strict";
import { once } from "node:events";
import { PidFd } from "../../host/index.js";
import { exitOf, hasExited, receivedNoSignal, spawnShell, stopChild, UNTIL_KILLED } from "../util.js";
import { childrenOfEachTest, pidfd, unusedPid } from "./run_cli.js";

describe("pidfd kill (cli)", () => {
  const children = childrenOfEachTest();
  const child = children.sleeping;

  it("sends SIGTERM by default: exit 0, nothing printed, the child dies of SIGTERM", async () => {
    const target = await child();
    const { code, stdout, stderr } = await pidfd("kill", String(target.pid));
    assert.deepEqual({ code, stdout, stderr }, { code: 0, stdout: "", stderr: "" });
    assert.deepEqual(await exitOf(target), [null, "SIGTERM"]);
  });

  const forms: [string[], NodeJS.Signals][] = [
    [["-s", "KILL"], "SIGKILL"], [["-s", "sigint"], "SIGINT"], [["--signal", "SIGHUP"], "SIGHUP"],
    [["-s", "10"], "SIGUSR1"], [["--signal=usr2"], "SIGUSR2"], [["-9"], "SIGKILL"], [["-KILL"], "SIGKILL"],
    [["-SIGQUIT"], "SIGQUIT"], [["-2"], "SIGINT"],
  ];
  for (const [args, expected] of forms) {
    it(`${args.join(" ")} sends ${expected}`, async () => {
      const target = await child();
      const { code, stderr } = await pidfd("kill", ...args, String(target.pid));
      assert.equal(stderr, "");
      assert.equal(code, 0);
      assert.deepEqual(await exitOf(target), [null, expected]);
    });
  }

  it("several pids and <pid>:<id>: every one is signalled", async () => {
    const [a, b] = [await child(), await child()];
    using pidfdB = PidFd.open(b.pid);
    const { code, stderr } = await pidfd("kill", "-s", "KILL", String(a.pid), `${b.pid}:${pidfdB.getId()}`);
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.deepEqual(await exitOf(a), [null, "SIGKILL"]);
    assert.deepEqual(await exitOf(b), [null, "SIGKILL"]);
  });

  it("signal 0 only checks that the process exists", async () => {
    const target = await child();
    await stopChild(target);
    const { code } = await pidfd("kill", "-s", "0", String(target.pid));
    assert.equal(code, 0);
    assert.ok(receivedNoSignal(target));
  });

  it("a wrong id is refused (exit 1) and the process is not signalled", async () => {
    const target = await child();
    await stopChild(target);
    using own = PidFd.open(target.pid);
    const id = own.getId();
    const { code, stdout, stderr } = await pidfd("kill", "-s", "KILL", `${target.pid}:${id + 1n}`);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr, `pidfd: kill ${target.pid}:${id + 1n}: No such process: pid ${target.pid} now names another process (id ${id})\n`);
    assert.ok(receivedNoSignal(target));
  });

  it("an unknown pid: 'pidfd: kill <pid>: No such process', exit 1; mixed with a live one, exit 64", async () => {
    const missing = unusedPid();
    const alone = await pidfd("kill", String(missing));
    assert.deepEqual(alone, { code: 1, stdout: "", stderr: `pidfd: kill ${missing}: No such process\n` });
    const target = await child();
    const mixed = await pidfd("kill", String(missing), String(target.pid));
    assert.equal(mixed.code, 64);
    assert.equal(mixed.stderr, `pidfd: kill ${missing}: No such process\n`);
    assert.deepEqual(await exitOf(target), [null, "SIGTERM"]);
  });

  it("bad input is a usage error (exit 125) and signals nothing", async () => {
    const target = await child();
    await stopChild(target);
    const pid = String(target.pid);
    const cases: [string[], string][] = [
      [[], "no process given"],
      [["-s", "KILL"], "no process given"],
      [["--", "0"], "invalid process '0': expected a pid (1..2147483647), <pid>:<id> or self"],
      [[pid, "--", "-5"], "invalid process '-5': expected a pid (1..2147483647), <pid>:<id> or self"],
      [[pid, "abc"], "invalid process 'abc': expected a pid (1..2147483647), <pid>:<id> or self"],
      [["-s", "FOO", pid], "unknown signal 'FOO'"],
      [["-s", "65", pid], "unknown signal '65'"],
      [["-s", "-1", pid], "unknown signal '-1'"],
      [["-FOO", pid], "unknown signal 'FOO'"],
      [["-s", "12345"], "unknown signal '12345'"],
      [["--signal"], "option '--signal' needs a value"],
      [["--frobnicate", pid], "unknown option '--frobnicate'"],
      [["-9", "-s", "TERM", pid], "more than one signal given"],
      [["--timeout", "100"], "option '--timeout' needs two values, <ms> <signal>"],
      [["-s", "RTMIN+31", pid], "unknown signal 'RTMIN+31'"],
      [["-s", "RTMAX-31", pid], "unknown signal 'RTMAX-31'"],
      [["-l", "1", "2"], "too many arguments after '-l': it takes at most one (got '1 2')"],
      [["-l", "65"], "unknown signal '65'"],
      [["-l", "0x10000000000000000"], "invalid signal mask '0x10000000000000000': Linux has signals 1..64"],
      [["-L", pid], `unexpected argument '${pid}'`],
      [["--timeout", "soon", "KILL", pid], "invalid timeout 'soon': expected e.g. 500ms, 2s, 1m (at most 2147483647ms)"],
      [["--timeout", "100", "BOGUS", pid], "unknown signal 'BOGUS'"],
      [["--wait=yes", pid], "option '--wait' takes no value"],
    ];
    const results = await Promise.all(cases.map(([args]) => pidfd("kill", ...args)));
    cases.forEach(([args, message], i) => {
      assert.deepEqual(results[i], { code: 125, stdout: "", stderr: `pidfd: kill: ${message} (see 'pidfd kill --help')\n` }, args.join(" "));
    });
    assert.ok(receivedNoSignal(target));
  });

  it("--timeout 100 KILL: a process that ignores SIGTERM gets SIGKILL after 100 ms", async () => {
    const target = children.add(await spawnShell(`trap '' TERM; echo ready; ${UNTIL_KILLED}`));
    await once(target.stdout!, "data");
    const { code, stdout, stderr } = await pidfd("kill", "--timeout", "100", "KILL", String(target.pid));
    assert.deepEqual({ code, stdout, stderr }, { code: 0, stdout: "", stderr: "" });
    assert.deepEqual(await exitOf(target), [null, "SIGKILL"]);
  });

  it("--timeout: a process that exits at the first signal ends the sequence (no follow-up sent)", async () => {
    const target = await child();
    const { code, stderr } = await pidfd("kill", "--timeout", "10s", "KILL", "-s", "INT", String(target.pid));
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.deepEqual(await exitOf(target), [null, "SIGINT"]);
  });

  it("--wait: returns once the process has exited", async () => {
    const target = children.add(await spawnShell("trap 'exit 5' TERM; echo ready; read _"));
    await once(target.stdout!, "data");
    const { code, stdout, stderr } = await pidfd("kill", "--wait", String(target.pid));
    assert.deepEqual({ code, stdout, stderr }, { code: 0, stdout: "", stderr: "" });
    assert.ok(hasExited(target), "it has exited when pidfd kill --wait returns");
    assert.deepEqual(await exitOf(target), [5, null]);
  });
});
