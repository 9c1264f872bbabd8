#!/usr/bin/env node
// The herald command: the bundled CLI (built by `npm run build`, which `npm start` runs when needed).
import { existsSync } from "node:fs";

const bundle = new URL("../dist/herald.mjs", import.meta.url);
if (!existsSync(bundle)) {
  console.error("herald: not built yet; run `npm run build` (or `npm start`) in the Herald folder first.");
  process.exit(1);
}
await import(bundle.href);
