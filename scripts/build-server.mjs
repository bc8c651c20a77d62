// Bundles the Express entry and the operations CLI into plain ESM JavaScript
// for production (`node build/server/index.js`): no tsx at run time. Our own
// code (server/, app/lib, db/) is bundled; packages stay in node_modules.
import { build } from "esbuild";

await build({
  entryPoints: { index: "server/index.ts", cli: "server/cli.ts" },
  outdir: "build/server",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  // Keep the Remix server build (build/index.js) out of this bundle: it is loaded at run time.
  external: ["../index.js"],
});
