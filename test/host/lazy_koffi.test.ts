// Importing the package loads neither koffi nor libc: the decoders, the simulated kernel and
// embedders work where koffi's binary is missing.
import assert from "node:assert/strict";
import { text } from "node:stream/consumers";
import { spawn } from "../../host/index.js";

describe("loading", () => {
  it("importing the package does not load koffi", async () => {
    const script = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(new URL("../../host/index.js", import.meta.url).href)});
      const cache = createRequire(import.meta.url).cache;
      console.log(Object.keys(cache).filter((k) => k.includes("koffi")).length);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const [status, out] = await Promise.all([child.exited, text(child.stdout!)]);
    assert.equal(status.code, 0);
    assert.equal(out.trim(), "0");
  });
});
