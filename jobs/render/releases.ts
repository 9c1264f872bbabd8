/**
 * Releases: a full render writes a new folder under `releases/`, then switches the `site` symlink to it
 * in one rename; the previous release is kept (readers mid-request), older ones are pruned.
 */
import { randomBytes } from "node:crypto";
import { readdir, readlink, rename, rm, symlink, unlink } from "node:fs/promises";
import path from "node:path";
import { tempPath } from "./atomic-files.ts";
import { isCode } from "./fs-errors.ts";

const RELEASES = "releases";

/** The live site: a symlink to the current release folder. */
export function currentSiteDir(dataDir: string): string {
  return path.join(dataDir, "site");
}

export function releasesDir(dataDir: string): string {
  return path.join(dataDir, RELEASES);
}

/** A fresh release folder's path (not created): sortable by time, unique. */
export function newReleaseDir(dataDir: string): string {
  const id = `${new Date().toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`;
  return path.join(releasesDir(dataDir), id);
}

/** The release the live site points to, or null before the first full render. */
export async function currentRelease(dataDir: string): Promise<string | null> {
  const siteLink = currentSiteDir(dataDir);
  try {
    return path.resolve(dataDir, await readlink(siteLink));
  } catch (error) {
    if (isCode(error, "ENOENT")) return null;
    if (isCode(error, "EINVAL")) throw new Error(`${siteLink} is not a symlink; move it away so Herald can manage it.`);
    throw error;
  }
}

/** Points the live site at `release` in one rename; on failure the release is removed and the live site kept. */
export async function switchRelease(dataDir: string, release: string): Promise<void> {
  const siteLink = currentSiteDir(dataDir);
  const temp = tempPath(dataDir, "site");
  await symlink(path.relative(dataDir, release), temp);
  try {
    await rename(temp, siteLink);
  } catch (error) {
    await unlink(temp).catch(() => {});
    await removeRelease(release);
    throw isCode(error, "EISDIR") || isCode(error, "ENOTEMPTY") || isCode(error, "EEXIST")
      ? new Error(`${siteLink} is a folder, not a symlink; move it away so Herald can manage it.`)
      : error;
  }
}

/** Keeps the new release and the one it replaced; removes older and abandoned ones. */
export async function pruneReleases(dataDir: string, keep: (string | null)[]): Promise<void> {
  const dir = releasesDir(dataDir);
  const kept = new Set(keep.filter((d): d is string => d !== null).map((d) => path.resolve(d)));
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const release = path.join(dir, entry.name);
    if (!kept.has(release)) await rm(release, { recursive: true, force: true });
  }
}

/** Removes a release that never went live (a failed full render). */
export async function removeRelease(release: string): Promise<void> {
  await rm(release, { recursive: true, force: true });
}
