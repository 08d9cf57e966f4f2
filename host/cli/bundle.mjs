// Bundles the `pidfd` command into one CommonJS file, dist/host/cli_bundle.cjs, from tsc's output;
// the launcher dist/host/cli/main.cjs requires it (docs/cli.md says why). koffi and as-bind stay
// packages of their own. The bundle sits in dist/host, beside the modules it inlines, so what they
// locate relative to their own file (build/pidfd.wasm, watch_helper.js) is where it was.
// Unminified and without a source map (the package's size budget): each module's code is under a
// comment naming its file.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";

/**
 * A Node module imported whole (`import fs from "node:fs"`) is required as it is: esbuild would
 * copy its properties into a namespace object (its __toESM), once per importing module, which
 * cost 2 to 3 ms of the command's start (util's and fs's above all).
 */
const requireNodeModules = {
  name: "require-node-modules",
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async ({ path }) => ({
      contents: (await readFile(path, "utf8")).replace(/^import (\w+) from "(node:[\w/]+)";$/gm, 'const $1 = require("$2");'),
      loader: "js",
    }));
  },
};

await build({
  entryPoints: ["dist/host/cli/dispatch.js"],
  outfile: "dist/host/cli_bundle.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["koffi", "as-bind"],
  // CommonJS has no import.meta: the bundle's own URL stands in for each module's.
  define: { "import.meta.url": "import_meta_url" },
  banner: { js: 'const import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [requireNodeModules],
  logLevel: "warning",
});
