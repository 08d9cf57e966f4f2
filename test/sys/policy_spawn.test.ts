// A policy host decides whether the core may start processes: spawnOn() through it is refused
// (EPERM, nothing started, the backend never asked) unless the policy's `spawn` rule allows the
// request (by file, argv, cwd, env).
import assert from "node:assert/strict";
import { PidFdError } from "../../host/index.js";
import { koffiSyscalls, loadCore, spawnOn } from "../../host/embed.js";
import { PolicySyscalls, traceSyscalls, type SpawnQuery } from "../../host/testing.js";

function policyCore(spawn: boolean | ((query: SpawnQuery) => boolean)) {
  const kernel = traceSyscalls(koffiSyscalls());
  const denials: string[] = [];
  const core = loadCore(new PolicySyscalls(kernel, { spawn, onDeny: (_syscall, reason) => denials.push(reason) }));
  return { kernel, core, denials };
}

describe("a policy host and spawning", () => {
  it("by default it refuses: EPERM from posix_spawnp, and nothing is started", () => {
    const { kernel, core, denials } = policyCore(false);
    assert.throws(() => spawnOn(core, "true", [], { stdio: "ignore" }), (error: unknown) =>
      error instanceof PidFdError && error.code === "EPERM" && error.syscall === "posix_spawnp");
    assert.equal(kernel.count("spawn"), 0, "the backend was never asked");
    assert.deepEqual(denials, ["spawning true is outside the policy"]);
  });

  it("a rule sees file, argv, cwd and env, and may allow one program only", async () => {
    const queries: SpawnQuery[] = [];
    const { core, denials } = policyCore((query) => {
      queries.push(query);
      return query.file === "/bin/true";
    });
    const child = spawnOn(core, "/bin/true", ["a"], { stdio: "ignore", cwd: "/", env: { X: "1" } });
    assert.equal((await child.exited).code, 0);
    assert.deepEqual(queries[0], { file: "/bin/true", argv: ["/bin/true", "a"], cwd: "/", env: ["X=1"] });
    assert.throws(() => spawnOn(core, "sh", ["-c", "exit 0"], { stdio: "ignore" }), { code: "EPERM" });
    assert.deepEqual(denials, ["spawning sh was refused by the policy"]);
  });
});
