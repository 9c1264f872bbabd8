/**
 * Releases: a full render writes a new folder under `releases/`, then switches the `site` symlink to it
 * in one rename; the previous release is kept (readers mid-request), older ones are pruned.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, readlink, rename, rm, symlink, unlink, writeFile } from "node:fs/promises";
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

/** Keeps the new release and the one it replaced (with their stamps); removes older and abandoned ones. */
export async function pruneReleases(dataDir: string, keep: (string | null)[]): Promise<void> {
  const dir = releasesDir(dataDir);
  const kept = new Set(keep.filter((d): d is string => d !== null).map((d) => path.resolve(d)));
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const release = path.join(dir, entry.name.replace(STAMP_SUFFIX_PATTERN, ""));
    if (!kept.has(release)) await rm(path.join(dir, entry.name), { recursive: true, force: true });
  }
}

/**
 * What a release was rendered from: the code version (`dist/.build-hash`) and the page (a different
 * database has another). Kept beside the release folder, so it is never served.
 */
export type ReleaseStamp = { build: string; pageId: string };

const STAMP_SUFFIX = ".stamp.json";
/** Present while a change's follow-up pages (history months, component pages) are not yet written. */
const PENDING_SUFFIX = ".pending";
const STAMP_SUFFIX_PATTERN = /\.(stamp\.json|pending)$/;

export async function writeStamp(release: string, stamp: ReleaseStamp): Promise<void> {
  await writeFile(`${release}${STAMP_SUFFIX}`, `${JSON.stringify(stamp)}\n`);
}

/** The release's stamp; null when it has none (rendered by an older Herald, or without a known build). */
export async function readStamp(release: string): Promise<ReleaseStamp | null> {
  try {
    const stamp: unknown = JSON.parse(await readFile(`${release}${STAMP_SUFFIX}`, "utf8"));
    if (typeof stamp !== "object" || stamp === null) return null;
    const { build, pageId } = stamp as Record<string, unknown>;
    return typeof build === "string" && typeof pageId === "string" ? { build, pageId } : null;
  } catch (error) {
    if (isCode(error, "ENOENT") || error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * Marks a release as missing follow-up pages of a change whose job is already done, or clears the mark
 * once they are written: a process killed in between leaves the mark, and the next start renders all.
 */
export async function markFollowUpsPending(release: string, pending: boolean): Promise<void> {
  if (pending) await writeFile(`${release}${PENDING_SUFFIX}`, "");
  else await rm(`${release}${PENDING_SUFFIX}`, { force: true });
}

export async function hasFollowUpsPending(release: string): Promise<boolean> {
  return readFile(`${release}${PENDING_SUFFIX}`).then(
    () => true,
    (error: unknown) => {
      if (isCode(error, "ENOENT")) return false;
      throw error;
    },
  );
}

/** Removes a release that never went live (a failed full render). */
export async function removeRelease(release: string): Promise<void> {
  await rm(release, { recursive: true, force: true });
  await rm(`${release}${STAMP_SUFFIX}`, { force: true });
}
