/**
 * The full pass: every route into a new release folder (assets first), stamped with what it was rendered
 * from, then switched live at once; a failure leaves the live site as it was and no half-written release.
 */
import { readFileSync } from "node:fs";
import { cp, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { asc, gt } from "drizzle-orm";
import { getPage } from "../../core/page/get-page.ts";
import { paths } from "../../core/public/paths.ts";
import { FALLBACK_PAGE_POLICY, HEADERS_FILE, headersFile, policyOf } from "../../core/public/site-headers.ts";
import type { Db } from "../../db/client.ts";
import { components, historyMonths, incidents } from "../../db/schema.ts";
import { writeAtomically, writeCompressedCopies } from "./atomic-files.ts";
import { collectGarbage } from "./collect-garbage.ts";
import { checkHold, type Hold } from "./hold.ts";
import { currentRelease, newReleaseDir, pruneReleases, removeRelease, switchRelease, writeStamp } from "./releases.ts";
import { isMonthRoute, routesForTopics, SUMMARY_ROUTES } from "./routes.ts";
import { addStats, emptyStats, type RenderStats, type RouteWriter, type SiteChange } from "./writer.ts";

export type FullRenderOptions = {
  db: Db;
  dataDir: string;
  siteDist: string;
  /** The code version stamped on the release (see releases.ts, ReleaseStamp); none: no stamp. */
  build: string | undefined;
  writer: RouteWriter;
  notify: (change: SiteChange) => void;
  /** HERALD_FRAME_ANCESTORS, for the release's `_headers`. */
  frameAncestors: readonly string[];
  /** The render lease's hold: lost, the render stops and its release is removed, never switched live. */
  hold?: Hold | undefined;
};

/** Incident pages per step of a full render. */
const ID_PAGE = 500;

/** Renders every route into a new release and switches the live site to it. */
export async function renderFullRelease(options: FullRenderOptions): Promise<RenderStats> {
  const { db, dataDir } = options;
  const started = performance.now();
  const previous = await currentRelease(dataDir);
  const release = newReleaseDir(dataDir);
  let stats: RenderStats;
  try {
    const { id: pageId } = await getPage(db);
    stats = await renderRelease(options, release, started);
    if (options.build) await writeStamp(release, { build: options.build, pageId });
    checkHold(options.hold);
  } catch (error) {
    await removeRelease(release);
    throw error;
  }
  await switchRelease(dataDir, release);
  options.notify({ release });
  await pruneReleases(dataDir, [release, previous]);
  stats.ms = Math.round(performance.now() - started);
  return stats;
}

async function renderRelease(options: FullRenderOptions, release: string, started: number): Promise<RenderStats> {
  const { db, writer } = options;
  await mkdir(release, { recursive: true });
  // Assets first: a page is never written before the stylesheet it links to.
  await cp(path.join(options.siteDist, "client"), release, { recursive: true });
  for (const entry of await readdir(release, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) writeCompressedCopies(path.join(entry.parentPath, entry.name));
  }
  const [monthRows, componentRows] = await Promise.all([
    db.select({ month: historyMonths.month }).from(historyMonths),
    db.select({ id: components.id }).from(components),
  ]);
  const stats = emptyStats();
  const routes = routesForTopics([
    { months: monthRows.map((r) => r.month), components: componentRows.map((r) => r.id) },
  ]);
  const write = { live: false, started, hold: options.hold };
  addStats(
    stats,
    await writer.writeRoutes(release, [...routes.filter((route) => !isMonthRoute(route)), ...SUMMARY_ROUTES], write),
  );
  // Incident pages a page of ids at a time: memory stays flat however long the history.
  for await (const ids of incidentIdPages(db)) {
    addStats(stats, await writer.writeRoutes(release, ids.map(paths.incident), write));
    collectGarbage();
  }
  // A busy month's page is the largest by far (thousands of incidents, megabytes of HTML): one at a time.
  addStats(
    stats,
    await writer.writeRoutes(release, routes.filter(isMonthRoute), { ...write, afterEach: collectGarbage }),
  );
  await writer.writeNotFoundPage(release);
  writeHeadersFile(release, options.frameAncestors);
  return stats;
}

/** Every incident's id, in pages of `ID_PAGE` (keyset on the primary key). */
async function* incidentIdPages(db: Db): AsyncGenerator<string[]> {
  let after = "";
  for (;;) {
    const rows = await db
      .select({ id: incidents.id })
      .from(incidents)
      .where(gt(incidents.id, after))
      .orderBy(asc(incidents.id))
      .limit(ID_PAGE);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows.at(-1)?.id ?? after;
  }
}

/** The static hosts' header rules (Cloudflare Pages, Netlify), from the policy the Node server applies. */
function writeHeadersFile(release: string, frameAncestors: readonly string[]): void {
  const pagePolicy = policyOf(readFileSync(path.join(release, "index.html"))) ?? FALLBACK_PAGE_POLICY;
  writeAtomically(
    path.join(release, HEADERS_FILE),
    new TextEncoder().encode(headersFile({ pagePolicy, frameAncestors })),
  );
}
