// Bundles the console's passkey script (api/console/assets/passkeys.entry.mjs, with @simplewebauthn/browser)
// into api/console/assets/passkeys.json, which the console serves as /admin/assets/passkeys.js on Node and
// on the Worker alike (a JSON import works in Node, esbuild, Vite and workerd). Run after editing the entry or
// upgrading the library: `npm run passkey-script`. A unit test fails while the bundle is stale.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

const ASSETS = join(import.meta.dirname, "../api/console/assets");
export const PASSKEY_BUNDLE = join(ASSETS, "passkeys.json");

export async function bundlePasskeyScript() {
  const built = await build({
    entryPoints: [join(ASSETS, "passkeys.entry.mjs")],
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2020",
    write: false,
  });
  const script = built.outputFiles[0]?.text ?? "";
  return `${JSON.stringify({ script }, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(PASSKEY_BUNDLE, await bundlePasskeyScript());
  console.log(`Wrote ${PASSKEY_BUNDLE}`);
}
