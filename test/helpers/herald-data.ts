import { readdir, readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { createDb } from "../../db/client.ts";
import { incidents, jobs } from "../../db/schema.ts";
import { currentSiteDir } from "../../jobs/render/index.ts";

/** What a Herald data folder holds, read from outside the process (which may be dead or running). */
export type HeraldData = {
  /** The release folder the live site points to. */
  liveRelease(): Promise<string>;
  /** The release folders (not their stamps), sorted. */
  releases(): Promise<string[]>;
  /** The build a release was stamped with (`<release>.stamp.json`), if any. */
  stampOf(release: string): Promise<string | null>;
  incidentIdByName(name: string): Promise<string | null>;
  /** Outbox render jobs whose topics name the incident. */
  renderJobsFor(incidentId: string): Promise<{ id: string; leaseOwner: string | null }[]>;
  close(): void;
};

export function openHeraldData(dataDir: string): HeraldData {
  const db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  const releasesDir = join(dataDir, "releases");
  return {
    liveRelease: () => realpath(currentSiteDir(dataDir)),
    async releases() {
      const entries = await readdir(releasesDir, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => join(releasesDir, e.name))
        .sort();
    },
    async stampOf(release) {
      try {
        const stamp: unknown = JSON.parse(await readFile(`${release}.stamp.json`, "utf8"));
        return typeof stamp === "object" && stamp !== null && "build" in stamp ? String(stamp.build) : null;
      } catch {
        return null;
      }
    },
    async incidentIdByName(name) {
      const [row] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.name, name));
      return row?.id ?? null;
    },
    async renderJobsFor(incidentId) {
      const rows = await db
        .select({ id: jobs.id, payload: jobs.payload, leaseOwner: jobs.leaseOwner })
        .from(jobs)
        .where(eq(jobs.kind, "render"));
      return rows
        .filter((row) => {
          const named = row.payload.incidents;
          return Array.isArray(named) && named.includes(incidentId);
        })
        .map(({ id, leaseOwner }) => ({ id, leaseOwner }));
    },
    close: () => db.$client.close(),
  };
}
