// A bad argument's message shows the received value as Node's own errors do: its type and a short
// value for ERR_INVALID_ARG_TYPE, a one-level inspect cut at 128 characters for the others;
// never a whole stream or a huge array.
import assert from "node:assert/strict";
import { PidFd, spawn } from "../../host/index.js";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("did not throw");
}

describe("the received value in argument errors", () => {
  it("a big object is shown one level deep, a long string cut at 128 characters", () => {
    const huge = { nested: { deeper: { deepest: "x".repeat(10000) } }, list: Array.from({ length: 1000 }, (_, i) => i) };
    const message = messageOf(() => spawn("true", [], { stdio: [huge as unknown as "pipe"] }));
    assert.match(message, /^The "options\.stdio\[0\]" property must be .* Received \{ nested: \[Object\], list: \[Array\] \}$/);
    const long = messageOf(() => spawn("true", [], { stdio: ["y".repeat(10000) as "pipe"] }));
    assert.ok(long.endsWith(`Received '${"y".repeat(127)}...`), long.slice(-200));
  });

  it("a wrong type shows the type and a short value, as Node's determineSpecificType", () => {
    assert.equal(messageOf(() => spawn(42 as unknown as string)), 'The "file" argument must be of type string. Received type number (42)');
    assert.equal(messageOf(() => spawn("true", [], { cwd: new Map() as unknown as string })),
      'The "options.cwd" property must be of type string. Received an instance of Map');
    assert.equal(messageOf(() => PidFd.open(1, { id: "x".repeat(100) as unknown as bigint })),
      `The "options.id" property must be of type bigint. Received type string ('${"x".repeat(25)}...')`);
    assert.equal(messageOf(() => spawn("true", [], { argv0: null as unknown as string })), 'The "options.argv0" property must be of type string. Received null');
  });

  it("a value out of range is shown in full when short", () => {
    assert.equal(messageOf(() => PidFd.open(-5)), 'The value of "pid" is out of range. It must be an integer >= 1 and <= 2147483647. Received -5');
  });
});
