/**
 * Atomic files: every file is written to a dot-prefixed temp file beside it and renamed over, so readers
 * (the server, a reader's browser) never see half a file; unchanged bytes are not rewritten.
 */

import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { isCode } from "./fs-errors.ts";

export const TEMP_SUFFIX = ".tmp";

/** A temp name beside `target` (hidden, so never served), unique to this process and call. */
export function tempPath(dir: string, name: string): string {
  return path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
}

/** Writes a dot-prefixed temp file beside the target, then renames it over: readers never see half a file. */
export async function writeAtomically(file: string, bytes: Uint8Array): Promise<"written" | "unchanged"> {
  try {
    const existing = await readFile(file);
    if (existing.equals(bytes)) return "unchanged";
  } catch (error) {
    if (!isCode(error, "ENOENT")) throw error;
  }
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = tempPath(dir, path.basename(file));
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  return "written";
}

/** Removes a route's file and its folder when that empties it (`incidents/<id>/`); false if absent. */
export async function removeFile(file: string, root: string): Promise<boolean> {
  try {
    await unlink(file);
  } catch (error) {
    if (isCode(error, "ENOENT")) return false;
    throw error;
  }
  const dir = path.dirname(file);
  if (dir !== path.resolve(root)) {
    await rmdir(dir).catch((error: unknown) => {
      if (!isCode(error, "ENOTEMPTY") && !isCode(error, "EEXIST") && !isCode(error, "ENOENT")) throw error;
    });
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
