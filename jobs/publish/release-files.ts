/**
 * The files of a release that are published: every regular file, read through its real path, except
 * hidden ones (temp files, marks), the precompressed copies beside text files (an object store does not
 * negotiate encodings; the host in front of it compresses) and the static hosts' `_headers`. A symlink
 * is followed only while its target stays inside the release, as the Node server serves them.
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { HEADERS_FILE } from "../../core/public/site-headers.ts";
import { isCompressible } from "../render/atomic-files.ts";

/** Whether a release file (relative, `/`-separated) is one a publish carries. */
export function isPublishable(file: string): boolean {
  if (file === "" || file === HEADERS_FILE) return false;
  if (file.split("/").some((part) => part.startsWith(".") || part === "")) return false;
  for (const suffix of [".br", ".gz"]) {
    if (file.endsWith(suffix) && isCompressible(file.slice(0, -suffix.length))) return false;
  }
  return true;
}

/** Every publishable file of the release, relative and `/`-separated. */
export async function listReleaseFiles(release: string): Promise<string[]> {
  const root = await realpath(release);
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const file = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (isPublishable(file) && (entry.isFile() || (await readInside(root, file)) !== null)) files.push(file);
  }
  return files.sort();
}

/** The bytes of a release file, or null when it is gone, not a file, or its real path leaves the release. */
export async function readInside(root: string, file: string): Promise<Buffer | null> {
  const real = await realpath(path.join(root, ...file.split("/"))).catch(() => null);
  if (!real?.startsWith(root + path.sep)) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return null;
  return readFile(real).catch(() => null);
}

/** A release file's public path: `incidents/x/index.html` → `/incidents/x/`, `index.html` → `/`. */
export function publicPathOf(file: string): string {
  if (file === "index.html") return "/";
  if (file.endsWith("/index.html")) return `/${file.slice(0, -"index.html".length)}`;
  return `/${file}`;
}
