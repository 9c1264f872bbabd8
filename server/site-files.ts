/**
 * Reading a rendered file and its precompressed siblings (`x.html.br`, `x.html.gz`, written by the
 * renderer) from a release, refusing anything whose real path leaves the release.
 */
import { open, realpath } from "node:fs/promises";
import { extname, join, sep } from "node:path";

export type FileEncoding = "br" | "gzip" | "identity";
export type FoundFile = { bytes: Uint8Array; etag: string };
export type FoundRepresentations = Partial<Record<FileEncoding, FoundFile>> & { compressible: boolean };

/** Text files: the renderer writes a gzip and a brotli copy of each beside it. */
export const COMPRESSIBLE = new Set([".html", ".css", ".js", ".json", ".rss", ".atom", ".xml", ".ics", ".svg", ".txt"]);
export const SUFFIX: Record<Exclude<FileEncoding, "identity">, string> = { br: ".br", gzip: ".gz" };

/**
 * Reads `file` (relative to `root`, the release's real path) in each of the `wanted` encodings that
 * exists; null when the file itself is missing or not inside the release.
 */
export async function readRepresentation(
  root: string,
  file: string,
  wanted: readonly FileEncoding[],
): Promise<FoundRepresentations | null> {
  const compressible = COMPRESSIBLE.has(extname(file));
  const found: FoundRepresentations = { compressible };
  const identity = await readInside(root, join(root, file), "");
  if (!identity) return null;
  found.identity = identity;
  if (!compressible) return found;
  for (const encoding of wanted) {
    if (encoding === "identity") continue;
    const variant = await readInside(root, join(root, file + SUFFIX[encoding]), `-${encoding}`);
    if (variant) found[encoding] = variant;
  }
  return found;
}

async function readInside(root: string, path: string, tagSuffix: string): Promise<FoundFile | null> {
  const real = await realpath(path).catch(() => null);
  if (!real?.startsWith(root + sep)) return null;
  const handle = await open(real, "r").catch(() => null);
  if (!handle) return null;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return null;
    const bytes = await handle.readFile();
    // Files are only ever replaced by rename: a new inode (and mtime) for every new content.
    const etag = `"${info.ino.toString(36)}-${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}${tagSuffix}"`;
    return { bytes, etag };
  } finally {
    await handle.close();
  }
}
