// spawn() refuses an option it does not know (a typo, a child_process option with no meaning
// here) with a TypeError naming it, and a known option of the wrong type, before starting anything.
import assert from "node:assert/strict";
import { spawn, type SpawnOptions } from "../../host/index.js";
import { openFds } from "../util.js";
import { zombieChildren } from "./helpers.js";

describe("spawn() with an option it does not know", () => {
  for (const [options, key] of [[{ cwdd: "/" }, "cwdd"], [{ serialization: "json" }, "serialization"], [{ encoding: "utf8" }, "encoding"]] as [object, string][]) {
    it(`${key}: TypeError ERR_INVALID_ARG_VALUE naming options.${key}, nothing started`, () => {
      const before = openFds().length;
      assert.throws(() => spawn("true", [], options as SpawnOptions), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.equal((error as NodeJS.ErrnoException).code, "ERR_INVALID_ARG_VALUE");
        assert.match(error.message, new RegExp(`^The property "options\\.${key}" is not an option: the options are cwd, env, `));
        return true;
      });
      assert.equal(openFds().length, before);
      assert.deepEqual(zombieChildren(), []);
    });
  }

  it("a known option of the wrong type: ERR_INVALID_ARG_TYPE with the received type", () => {
    assert.throws(() => spawn("true", [], { uid: "0" as unknown as number }),
      { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: `The "options.uid" property must be of type number. Received type string ('0')` });
    assert.throws(() => spawn("true", [], { detached: 1 as unknown as boolean }), { code: "ERR_INVALID_ARG_TYPE" });
    assert.throws(() => spawn("true", [], { env: null as unknown as NodeJS.ProcessEnv }), { code: "ERR_INVALID_ARG_TYPE" });
    assert.throws(() => spawn("true", [], { shell: 1 as unknown as boolean }), { code: "ERR_INVALID_ARG_TYPE" });
  });

  it("an option present but undefined is absent; the Windows-only options are accepted", async () => {
    const child = spawn("true", [], { stdio: "ignore", cwd: undefined, windowsHide: true, windowsVerbatimArguments: false });
    assert.equal((await child.exited).code, 0);
  });
});
