// Copies into TARGET/node_modules only the installed packages Herald's bundles load at run time: those
// scripts/build.mjs lists in dist/externals.json (or the PACKAGEs given), with their dependency closure as
// package-lock.json resolves it. Everything else is bundled into dist/, so `npm prune --omit=dev` would still
// ship ~35 MB Herald never loads. For the container image (Containerfile).
// Usage: node scripts/container/runtime-modules.mjs TARGET [PACKAGE...]
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const [target, ...named] = process.argv.slice(2);
if (!target) {
  console.error("usage: node scripts/container/runtime-modules.mjs TARGET [PACKAGE...]");
  process.exit(2);
}
const imports = named.length > 0 ? named : JSON.parse(readFileSync(join(root, "dist/externals.json"), "utf8"));
/** `@libsql/client/web` is in the package `@libsql/client`, `ws/lib/x` in `ws`. */
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const wanted = [...new Set(imports.map(packageOf))];
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")).packages;

/** Where Node finds `name` required from the package at `from` ("" is the project): nearest node_modules up. */
function resolvePath(from, name) {
  for (let at = from; ; ) {
    const candidate = `${at ? `${at}/` : ""}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (at === "") return null;
    const parent = at.lastIndexOf("/node_modules/");
    at = parent < 0 ? "" : at.slice(0, parent);
  }
}

const keep = new Set();
function visit(path) {
  if (keep.has(path)) return;
  keep.add(path);
  const entry = lock[path];
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  const names = [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
  ];
  for (const name of names) {
    // Type declarations have no code to run (a runtime dependency of @libsql/isomorphic-ws, oddly).
    if (name.startsWith("@types/")) continue;
    const resolved = resolvePath(path, name);
    if (resolved) visit(resolved);
  }
}
for (const name of wanted) {
  const path = resolvePath("", name);
  if (!path) throw new Error(`${name} is not in package-lock.json`);
  visit(path);
}

let copied = 0;
for (const path of keep) {
  const source = join(root, path);
  // Optional packages of other platforms are in the lock but not installed.
  if (!existsSync(source)) continue;
  cpSync(source, join(target, path), {
    recursive: true,
    verbatimSymlinks: true,
    // A package's own nested node_modules are copied as packages of their own, when needed.
    filter: (file) => !relative(source, file).split(sep).includes("node_modules"),
  });
  copied++;
}
console.log(`runtime-modules: ${copied} packages for ${wanted.join(", ")} in ${join(target, "node_modules")}`);
