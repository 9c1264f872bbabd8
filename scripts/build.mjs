// Builds what `npm start` runs: the bundled Node CLI/server (esbuild) and the site renderer (astro build).
// With --if-stale it does nothing when the sources have not changed since the last build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const stampFile = join(root, "dist", ".build-hash");
const inputs = [
  "api",
  "core",
  "db",
  "jobs",
  "cli",
  "server",
  "templates",
  "site/src",
  "site/adapter",
  "site/astro.config.mjs",
  "package-lock.json",
  "scripts/build.mjs",
];

function* files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort())
      if (!entry.startsWith(".") && entry !== "node_modules") yield* files(join(path, entry));
  } else yield path;
}

function sourceHash() {
  const hash = createHash("sha256");
  for (const input of inputs)
    for (const file of files(input))
      hash.update(relative(root, join(root, file))).update(readFileSync(join(root, file)));
  return hash.digest("hex");
}

const hash = sourceHash();
if (
  process.argv.includes("--if-stale") &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === hash &&
  existsSync(join(root, "site/dist/server/entry.mjs"))
) {
  process.exit(0);
}

const started = Date.now();
mkdirSync(join(root, "dist"), { recursive: true });
const bundled = await build({
  // The render and backup threads (server/render-worker.ts, server/backup-worker.ts) are bundles of their own,
  // loaded by dist/herald.mjs beside them.
  entryPoints: {
    herald: join(root, "cli/herald.ts"),
    "render-worker": join(root, "server/render-worker.ts"),
    "backup-worker": join(root, "server/backup-worker.ts"),
  },
  outdir: join(root, "dist"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  // libSQL loads a native addon; keep it (and its loader) as a normal package import.
  // The S3 client is loaded only when a bucket is the publish target: a package import, not in the bundle.
  external: ["@libsql/client", "libsql", "@aws-sdk/client-s3"],
  banner: {
    js: "import { createRequire as __heraldRequire } from 'node:module'; const require = __heraldRequire(import.meta.url);",
  },
  logLevel: "warning",
  metafile: true,
});
// The packages the bundles import at run time (not Node's own): what the container image must ship.
const externals = new Set(
  Object.values(bundled.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external && !isBuiltin(imported.path))
    .map((imported) => imported.path)
    // An optional import esbuild could not resolve (resend's `@react-email/render` peer, inside a try) stays
    // out of the image too: the code that makes it handles its absence.
    .filter((path) => existsSync(join(root, "node_modules", path, "package.json"))),
);
writeFileSync(join(root, "dist", "externals.json"), `${JSON.stringify([...externals].sort())}\n`);
const astro = spawnSync(join(root, "node_modules/.bin/astro"), ["build", "--root", "site", "--silent"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
});
if (astro.status !== 0) process.exit(astro.status ?? 1);
writeFileSync(stampFile, hash);
console.log(`Built Herald in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
