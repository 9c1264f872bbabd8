import { readFile, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { Clock } from "../core/actions/clock.ts";
import { newId } from "../core/model/ids.ts";
import type { Db } from "../db/client.ts";
import { jobs, locks } from "../db/schema.ts";
import { currentSiteDir, type Renderer } from "./render/index.ts";
import { RENDER_LOCK } from "./render-lease.ts";

/**
 * The `locks` row naming the data folder whose live release has every render so far (its owner column
 * holds that folder's id). Only the render lease's holder writes it, after a full render into its own
 * folder and before it runs a render job: so a render job is only ever deleted by the folder it names.
 */
const SITE_OF_RECORD = "render-site";
const FOLDER_ID_FILE = "render-folder-id";

/** This data folder's id, made once (a copied folder is a new runner's only if this file goes with it). */
async function folderId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, FOLDER_ID_FILE);
  const existing = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => "",
  );
  if (existing) return existing;
  const id = newId();
  await writeFile(file, `${id}\n`);
  return id;
}

async function isSiteOfRecord(db: Db, dataDir: string): Promise<boolean> {
  const [row] = await db.select({ owner: locks.owner }).from(locks).where(eq(locks.name, SITE_OF_RECORD));
  return row?.owner === (await folderId(dataDir));
}

/** Names this folder the site of record, only while `owner` holds the render lease (checked in the same statement). */
async function becomeSiteOfRecord(db: Db, dataDir: string, owner: string, now: Date): Promise<boolean> {
  const id = await folderId(dataDir);
  const rows = await db.all<{ owner: string }>(sql`INSERT INTO locks (name, owner, heartbeat_at)
    SELECT ${SITE_OF_RECORD}, ${id}, ${now.toISOString()}
    WHERE EXISTS (SELECT 1 FROM locks WHERE name = ${RENDER_LOCK} AND owner = ${owner})
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, heartbeat_at = excluded.heartbeat_at
    RETURNING owner`);
  return rows.length === 1;
}

/** Render jobs leased by an earlier holder of the render lease: theirs can no longer complete (runner.ts fence). */
async function freeEarlierHoldersRenderJobs(db: Db, owner: string): Promise<void> {
  await db
    .update(jobs)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(
      and(eq(jobs.kind, "render"), eq(jobs.state, "pending"), isNotNull(jobs.leaseOwner), ne(jobs.leaseOwner, owner)),
    );
}

async function hasDeadRenderJobs(db: Db): Promise<boolean> {
  const [dead] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, "render"), eq(jobs.state, "dead")))
    .limit(1);
  return dead !== undefined;
}

async function hasRelease(dataDir: string): Promise<boolean> {
  return realpath(currentSiteDir(dataDir)).then(
    () => true,
    () => false,
  );
}

/** Why a new holder renders the whole site, or null when its live release already has everything. */
async function reasonToRenderAll(db: Db, dataDir: string, renderer: Renderer): Promise<string | null> {
  if (!(await hasRelease(dataDir))) return "no release yet";
  if (!(await isSiteOfRecord(db, dataDir))) return "another runner rendered last, or this folder is new";
  if (!(await renderer.liveReleaseIsCurrent())) return "new code version or unfinished pages";
  if (await hasDeadRenderJobs(db)) return "a render job died";
  return null;
}

export type CatchUp = {
  /** What the render lease runs on each taking (RenderLeaseOptions.catchUp). */
  run(signal: AbortSignal): Promise<void>;
  /** The first decision: whether this start renders everything, and whether there was a release to keep live. */
  decided: Promise<{ renderAll: boolean; hadRelease: boolean }>;
  /** The first run's outcome (a first start without a release waits for it, and fails with it). */
  firstRun: Promise<void>;
};

/**
 * A new holder of the render lease renders everything the previous one may have missed: its folder may
 * be stale or empty. The whole site (a new release, switched at once) unless this folder rendered last
 * and its release is current, as when the one runner of a database restarts: then every change since
 * is still an outbox job and the runner renders just those.
 */
export function renderCatchUp(options: {
  db: Db;
  clock: Clock;
  dataDir: string;
  owner: string;
  renderer: Renderer;
  /** Told after a full render went live, before any render job runs (publish targets hook here). */
  afterRenderAll?: () => Promise<void>;
}): CatchUp {
  const { db, clock, dataDir, owner, renderer } = options;
  let report: (decision: { renderAll: boolean; hadRelease: boolean }) => void = () => {};
  const decided = new Promise<{ renderAll: boolean; hadRelease: boolean }>((resolve) => {
    report = resolve;
  });
  let runs = 0;
  let settleFirst: (outcome: Promise<void>) => void = () => {};
  const firstRun = new Promise<void>((resolve) => {
    settleFirst = resolve;
  });
  // Awaited only by a first start without a release; the lease logs and retries a failure.
  firstRun.catch(() => {});
  return {
    decided,
    firstRun,
    async run(signal) {
      const outcome = catchUpOnce(signal);
      if (runs++ === 0) settleFirst(outcome);
      await outcome;
    },
  };

  async function catchUpOnce(signal: AbortSignal): Promise<void> {
    try {
      await freeEarlierHoldersRenderJobs(db, owner);
      const reason = await reasonToRenderAll(db, dataDir, renderer);
      const hadRelease = await hasRelease(dataDir);
      report({ renderAll: reason !== null, hadRelease });
      if (reason !== null) {
        console.log(
          `Herald: rendering the whole site (${reason})${hadRelease ? "; the last release stays live meanwhile" : ""}.`,
        );
        await renderer.renderAll(signal);
        signal.throwIfAborted();
        await options.afterRenderAll?.();
      } else {
        // The publish target may lag this release (a publisher killed mid-publish): publish it whole.
        await renderer.publishLive(signal);
        signal.throwIfAborted();
      }
      if (!(await becomeSiteOfRecord(db, dataDir, owner, clock.now())))
        throw new Error("The render lease went to another runner during the catch-up.");
    } catch (error) {
      report({ renderAll: false, hadRelease: await hasRelease(dataDir) });
      throw error;
    }
  }
}
