// Bundles the `pidfd` command into one CommonJS file, dist/host/cli_bundle.cjs, from tsc's output;
// the launcher dist/host/cli/main.cjs requires it (docs/cli.md says why). koffi and as-bind stay
// packages of their own. The bundle sits in dist/host, beside the modules it inlines, so what they
// locate relative to their own file (build/pidfd.wasm, watch_helper.js) is where it was.
// Unminified and without a source map (the package's size budget): each module's code is under a
// comment naming its file.
import { build } from "esbuild";

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
  logLevel: "warning",
});
