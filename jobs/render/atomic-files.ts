/**
 * Atomic files: every file is written to a dot-prefixed temp file beside it and renamed over, so readers
 * (the server, a reader's browser) never see half a file; unchanged bytes are not rewritten. A text
 * file gets a gzip (`.gz`) and a brotli (`.br`) copy beside it, written before it and removed with it.
 *
 * Synchronous on purpose. The renderer runs on its own thread (thread-renderer.ts), where writing a page
 * blocks nothing else: the index with its copies takes ~2 ms of CPU (compression included). Written
 * asynchronously, the same write was ~16 round trips through the thread pool, each waiting for the
 * thread to finish rendering the next page: a page reached the disk 10–25 ms after it was rendered.
 */
import { randomBytes } from "node:crypto";
import {
  type Dirent,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { lstat, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { isCode } from "./fs-errors.ts";

export const TEMP_SUFFIX = ".tmp";

/** Text files, served compressed when the reader takes it. */
const COMPRESSIBLE = new Set([".html", ".css", ".js", ".json", ".rss", ".atom", ".xml", ".ics", ".svg", ".txt"]);
const COMPRESSED_SUFFIXES = [".br", ".gz"] as const;

export function isCompressible(file: string): boolean {
  return COMPRESSIBLE.has(path.extname(file));
}

/**
 * The file's compressed copies. Brotli at quality 5: within a few percent of 11 on these pages, at a
 * fiftieth of the time (publishing waits for it); gzip at 6, its default (level 9 cost a render pass
 * milliseconds for a copy only readers without brotli get).
 */
function compressedCopies(bytes: Uint8Array): [string, Uint8Array][] {
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
    },
  });
  return [
    [".br", br],
    [".gz", gzipSync(bytes, { level: 6 })],
  ];
}

function replaceFile(file: string, bytes: Uint8Array): void {
  const temp = tempPath(path.dirname(file), path.basename(file));
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes the compressed copies of a text file already in place (assets copied into a release). */
export function writeCompressedCopies(file: string): void {
  if (isCompressible(file)) replaceCopies(file, readFileSync(file));
}

function replaceCopies(file: string, bytes: Uint8Array): void {
  for (const [suffix, copy] of compressedCopies(bytes)) replaceFile(file + suffix, copy);
}

/** A temp name beside `target` (hidden, so never served), unique to this process and call. */
export function tempPath(dir: string, name: string): string {
  return path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
}

/** Writes a dot-prefixed temp file beside the target, then renames it over: readers never see half a file. */
export function writeAtomically(file: string, bytes: Uint8Array): "written" | "unchanged" {
  try {
    const existing = readFileSync(file);
    if (existing.equals(bytes)) return "unchanged";
  } catch (error) {
    if (!isCode(error, "ENOENT")) throw error;
    mkdirSync(path.dirname(file), { recursive: true }); // the folder exists whenever the file does
  }
  // Copies first: whenever the file is in place, so are copies at least as new as it.
  if (isCompressible(file)) replaceCopies(file, bytes);
  replaceFile(file, bytes);
  return "written";
}

/** Removes a route's file and its folder when that empties it (`incidents/<id>/`); false if absent. */
export function removeFile(file: string, root: string): boolean {
  try {
    unlinkSync(file);
  } catch (error) {
    if (isCode(error, "ENOENT")) return false;
    throw error;
  }
  for (const suffix of COMPRESSED_SUFFIXES) rmSync(file + suffix, { force: true });
  const dir = path.dirname(file);
  if (dir !== path.resolve(root)) {
    try {
      rmdirSync(dir);
    } catch (error) {
      if (!isCode(error, "ENOTEMPTY") && !isCode(error, "EEXIST") && !isCode(error, "ENOENT")) throw error;
    }
  }
  return true;
}

/** Removes temp files a crashed render left behind: in the data folder and the live release. */
export async function cleanTempFiles(dataDir: string, siteLink: string): Promise<void> {
  const isTemp = (name: string) => name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
  for (const name of await readdir(dataDir)) if (isTemp(name)) await rm(path.join(dataDir, name), { force: true });
  let entries: Dirent[];
  try {
    const stat = await lstat(siteLink);
    if (!stat.isSymbolicLink()) return;
    entries = await readdir(siteLink, { withFileTypes: true, recursive: true });
  } catch (error) {
    if (isCode(error, "ENOENT")) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isFile() && isTemp(entry.name)) await rm(path.join(entry.parentPath, entry.name), { force: true });
  }
}
