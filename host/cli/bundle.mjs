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

/**
 * The command runs on Node's main thread only (its launcher, main.cjs, is the only module that
 * requires the bundle, which no export of the package reaches), so `isMainThread` and
 * `threadId` are known without loading `node:worker_threads`, which cost 1.6 ms of every start
 * (a Worker running main.cjs would write straight to fd 1 and call itself thread 0). The real module is
 * loaded when something needs more of it (a Worker); environment data set before then is handed
 * to it first, so that any worker made afterwards inherits it, as ownership.ts expects.
 */
const mainThreadOnly = {
  name: "main-thread-only",
  setup(build) {
    build.onResolve({ filter: /^node:worker_threads$/ }, () => ({ path: "worker_threads", namespace: "main-thread" }));
    build.onLoad({ filter: /.*/, namespace: "main-thread" }, () => ({
      loader: "js",
      contents: `
        let loaded;
        const environment = new Map();
        function real() {
          if (!loaded) {
            loaded = require("worker_threads"); // the builtin: the plugin takes "node:worker_threads" only
            for (const [key, value] of environment) loaded.setEnvironmentData(key, value);
          }
          return loaded;
        }
        module.exports = {
          isMainThread: true,
          threadId: 0,
          getEnvironmentData: (key) => (loaded ? loaded.getEnvironmentData(key) : environment.get(key)),
          setEnvironmentData: (key, value) => void (loaded ? loaded.setEnvironmentData(key, value) : environment.set(key, value)),
          get Worker() { return real().Worker; },
        };`,
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
  plugins: [requireNodeModules, mainThreadOnly],
  logLevel: "warning",
});
