import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** The first way two rendered sites differ, named by file and by the route that serves it. */
export type SiteDifference = { file: string; route: string; detail: string };

/** Every file of a rendered site, relative to its root, sorted; temp files of a render in flight are skipped. */
export async function siteFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** The route a site file answers: `x/index.html` → `/x/`, `api/v2/a.json` → `/api/v2/a.json`. */
export function routeOfFile(file: string): string {
  if (file === "index.html") return "/";
  if (file.endsWith("/index.html")) return `/${file.slice(0, -"index.html".length)}`;
  return `/${file}`;
}

/**
 * Compares two rendered sites file by file, like `diff -r`: the first file present in only one of them
 * or whose bytes differ, with the bytes around the first difference; null when they are byte-identical.
 */
export async function firstSiteDifference(expected: string, actual: string): Promise<SiteDifference | null> {
  const [expectedFiles, actualFiles] = await Promise.all([siteFiles(expected), siteFiles(actual)]);
  const actualSet = new Set(actualFiles);
  const expectedSet = new Set(expectedFiles);
  for (const file of [...new Set([...expectedFiles, ...actualFiles])].sort()) {
    if (!actualSet.has(file)) return { file, route: routeOfFile(file), detail: `only in ${expected}` };
    if (!expectedSet.has(file)) return { file, route: routeOfFile(file), detail: `only in ${actual}` };
    const [a, b] = await Promise.all([readFile(join(expected, file)), readFile(join(actual, file))]);
    if (!a.equals(b)) return { file, route: routeOfFile(file), detail: firstDifferingLine(a, b) };
  }
  return null;
}

function firstDifferingLine(expected: Buffer, actual: Buffer): string {
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  const around = (bytes: Buffer) => JSON.stringify(bytes.subarray(Math.max(0, at - 160), at + 160).toString("utf8"));
  return `from byte ${at}:\n  full render:        ${around(expected)}\n  incremental render: ${around(actual)}`;
}
