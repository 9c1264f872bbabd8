/**
 * The renderer: renders the routes a change touches into the live release, each file replaced
 * atomically, or every route into a new release that goes live at once. See index.ts.
 */
import { cp, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate } from "node:timers/promises";
import { asc, gt } from "drizzle-orm";
import type { RenderTopics } from "../../core/commit.ts";
import { getPage } from "../../core/page/get-page.ts";
import { paths } from "../../core/public/paths.ts";
import { createSiteData } from "../../core/public/site-views.ts";
import type { Db } from "../../db/client.ts";
import { historyMonths, incidents } from "../../db/schema.ts";
import { cleanTempFiles, removeFile, writeAtomically, writeCompressedCopies } from "./atomic-files.ts";
import { collectGarbage } from "./collect-garbage.ts";
import { createExclusive, FollowUps } from "./queue.ts";
import {
  currentRelease,
  currentSiteDir,
  hasFollowUpsPending,
  markFollowUpsPending,
  newReleaseDir,
  pruneReleases,
  readStamp,
  releasesDir,
  removeRelease,
  switchRelease,
  writeStamp,
} from "./releases.ts";
import { componentOfPage, isMonthRoute, MONTH_SEGMENT, monthRoute, routeFile, routesForTopics } from "./routes.ts";
import { type Locals, loadApp, renderPage } from "./site-app.ts";
import { type ComponentStates, componentStates, componentsTouched, monthsTouched } from "./touched.ts";

export type RenderStats = { routes: number; written: number; unchanged: number; removed: number; ms: number };

export type Renderer = {
  /**
   * Renders the routes a set of changes touched (the union of several jobs' topics). It resolves once the
   * index, incident pages, history index, feeds and JSON are written; history months and component pages
   * follow once changes pause (queue.ts, FollowUps; `settled` waits for them).
   */
  renderTopics(topics: RenderTopics[]): Promise<RenderStats>;
  /** Renders every route into a new release folder, then switches the live site to it atomically. */
  renderAll(): Promise<RenderStats>;
  /** Resolves once the component pages of past changes are rendered (they follow a change's other routes). */
  settled(): Promise<void>;
  /**
   * Whether the live release was fully rendered by this build for this database, with no change's pages
   * missing: then a start need not render everything again (what changed since arrives as outbox jobs).
   */
  liveReleaseIsCurrent(): Promise<boolean>;
  /** Waits for the pending follow-up pages, then frees what the renderer holds (its thread, if any). */
  close(): Promise<void>;
};

/**
 * What a render changed in the live site, for whoever keeps its files in memory (the Node server):
 * one file of the live release replaced or removed, or a new release switched live.
 */
export type SiteChange = { file: string } | { release: string };

export type RendererOptions = {
  db: Db;
  dataDir: string;
  siteDist: string;
  /** The code version (`dist/.build-hash`), stamped on each release; without it every start renders all. */
  build?: string | undefined;
  /** Called after each change to the live site, once the new bytes are in place. */
  onChange?: (change: SiteChange) => void;
};

/** Incident pages per pass of a full render. */
const ID_PAGE = 500;

export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const { db, dataDir, siteDist, build } = options;
  const notify = (change: SiteChange) => {
    try {
      options.onChange?.(change);
    } catch (error) {
      console.error("Herald: a listener for site changes failed.", error);
    }
  };
  const app = await loadApp(siteDist);
  await mkdir(releasesDir(dataDir), { recursive: true });
  await cleanTempFiles(dataDir, currentSiteDir(dataDir));

  type Outcome = "written" | "unchanged" | "removed";
  /**
   * What the live release shows of each component (see componentsTouched). A component missing here
   * (none before this process's first full render) has its pages rendered with the next change.
   */
  let shown: ComponentStates = new Map();
  /** The components as read before the pending routes were chosen: what those pages will show at least. */
  let snapshot: ComponentStates = new Map();
  /** The history months the live release's month pages link, once known (see monthsTouched). */
  let shownMonths: Set<string> | null = null;
  /** The release marked as missing follow-up pages (see markFollowUpsPending), if any. */
  let markedRelease: string | null = null;
  const exclusive = createExclusive();
  const followUps = new FollowUps(exclusive, renderComponentBatch);

  /**
   * Renders one route into `root`: 200 → write if the bytes changed, 404 → remove, else throw. `live`:
   * `root` is the live release, so a change is announced.
   */
  async function renderRoute(root: string, route: string, locals: Locals, live: boolean): Promise<Outcome> {
    const response = await renderPage(app, route, locals);
    const file = routeFile(root, route);
    let outcome: Outcome;
    if (response.status === 200) {
      outcome = writeAtomically(file, new Uint8Array(await response.arrayBuffer()));
    } else {
      await response.body?.cancel();
      if (response.status !== 404)
        throw new Error(`Rendering ${route} answered ${response.status}: the old file is kept.`);
      outcome = removeFile(file, root) ? "removed" : "unchanged";
    }
    if (live && outcome !== "unchanged") notify({ file: routeFile("", route) });
    return outcome;
  }

  /**
   * Renders and writes the routes one at a time, in their order: CPU-bound work on the render thread,
   * so the first (most-read) page is in place soonest. A route that fails leaves its old file; the
   * others are still written, then the pass fails.
   */
  async function renderRoutes(
    root: string,
    routes: string[],
    started: number,
    live: boolean,
    afterEach?: () => void,
  ): Promise<RenderStats> {
    const locals: Locals = { site: createSiteData(db) };
    const stats: RenderStats = { routes: routes.length, written: 0, unchanged: 0, removed: 0, ms: 0 };
    const failures: unknown[] = [];
    for (const route of routes) {
      try {
        stats[await renderRoute(root, route, locals, live)] += 1;
        afterEach?.();
      } catch (error) {
        failures.push(error);
      }
      // Rendering and writing settle in microtasks only: without a turn of the event loop between routes,
      // a full render would be one task, answering no message (nor, on the calling thread, any request)
      // and releasing no native memory until its end (700 MB at 10,000 incidents).
      await setImmediate();
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} of ${routes.length} routes failed to render.`);
    }
    stats.ms = Math.round(performance.now() - started);
    return stats;
  }

  async function renderAllNow(): Promise<RenderStats> {
    const started = performance.now();
    const previous = await currentRelease(dataDir);
    const release = newReleaseDir(dataDir);
    let stats: RenderStats;
    let states: ComponentStates;
    let months: Set<string>;
    try {
      const { id: pageId } = await getPage(db);
      ({ stats, states, months } = await renderRelease(release, started));
      if (build) await writeStamp(release, { build, pageId });
    } catch (error) {
      // A failed full render leaves the live site as it was and no half-written release behind.
      await removeRelease(release);
      throw error;
    }
    await switchRelease(dataDir, release);
    notify({ release });
    // Everything pending before this render read the database is in the new release.
    shown = states;
    shownMonths = months;
    followUps.clear();
    markedRelease = null;
    await pruneReleases(dataDir, [release, previous]);
    stats.ms = Math.round(performance.now() - started);
    return stats;
  }

  /** Renders every route into `release`; `states` and `months` are as read before rendering them. */
  async function renderRelease(
    release: string,
    started: number,
  ): Promise<{ stats: RenderStats; states: ComponentStates; months: Set<string> }> {
    await mkdir(release, { recursive: true });
    // Assets first: a page is never written before the stylesheet it links to.
    await cp(path.join(siteDist, "client"), release, { recursive: true });
    for (const entry of await readdir(release, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) writeCompressedCopies(path.join(entry.parentPath, entry.name));
    }
    const [monthRows, states] = await Promise.all([
      db.select({ month: historyMonths.month }).from(historyMonths),
      componentStates(db),
    ]);
    const stats: RenderStats = { routes: 0, written: 0, unchanged: 0, removed: 0, ms: 0 };
    const add = (part: RenderStats) => {
      for (const key of ["routes", "written", "unchanged", "removed"] as const) stats[key] += part[key];
    };
    const routes = routesForTopics([{ months: monthRows.map((r) => r.month), components: [...states.keys()] }]);
    add(
      await renderRoutes(
        release,
        routes.filter((route) => !isMonthRoute(route)),
        started,
        false,
      ),
    );
    // Incident pages a page of ids at a time: memory stays flat however long the history.
    for await (const ids of incidentIdPages()) {
      add(await renderRoutes(release, ids.map(paths.incident), started, false));
      collectGarbage();
    }
    // A busy month's page is the largest by far (thousands of incidents, megabytes of HTML): one at a time.
    add(await renderRoutes(release, routes.filter(isMonthRoute), started, false, collectGarbage));
    await writeNotFoundPage(release);
    return { stats, states, months: new Set(monthRows.map((r) => r.month)) };
  }

  /** Every incident's id, in pages of `ID_PAGE` (keyset on the primary key). */
  async function* incidentIdPages(): AsyncGenerator<string[]> {
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

  async function writeNotFoundPage(root: string): Promise<void> {
    const response = await renderPage(app, "/404/", { site: createSiteData(db) });
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength === 0) throw new Error(`Rendering the 404 page answered ${response.status} with no body.`);
    writeAtomically(path.join(root, "404.html"), body);
  }

  async function renderComponentBatch(): Promise<void> {
    const release = await currentRelease(dataDir);
    if (!release) {
      // Nothing live to update: the next full render writes every page.
      followUps.clear();
      return;
    }
    const taken = followUps.takeTopics();
    if (taken) {
      const [touched, months] = await Promise.all([
        componentsTouched(db, taken.topics, shown),
        monthsTouched(
          db,
          taken.topics.flatMap((t) => t.months ?? []),
          shownMonths,
        ),
      ]);
      snapshot = touched.now;
      shownMonths = months.now;
      followUps.addRoutes(
        [
          ...months.months.filter((month) => MONTH_SEGMENT.test(month)).map(monthRoute),
          ...routesForTopics([], touched.routes).filter((route) => route.startsWith("/components/")),
        ],
        taken.since,
      );
    }
    const batch = followUps.due();
    await renderRoutes(release, batch, performance.now(), true);
    followUps.done(batch);
    for (const route of batch) {
      const id = componentOfPage(route);
      const state = id ? snapshot.get(id) : undefined;
      if (id && state) shown.set(id, state);
      else if (id) shown.delete(id);
    }
    if (!followUps.pending() && markedRelease === release) {
      await markFollowUpsPending(release, false);
      markedRelease = null;
    }
  }

  return {
    renderTopics: async (topics) => {
      const stats = await exclusive(async () => {
        const started = performance.now();
        if (topics.some((t) => t.full)) return renderAllNow();
        const release = await currentRelease(dataDir);
        if (!release) return renderAllNow();
        if (topics.length === 0) return { routes: 0, written: 0, unchanged: 0, removed: 0, ms: 0 };
        followUps.add(topics);
        const first = topics.map((t) => ({ ...t, components: [], months: [] }));
        const written = await renderRoutes(release, routesForTopics(first), started, true);
        // Marked once the job's own pages are written, before the runner deletes the job: a kill before
        // this runs the job again at the next start; a kill after it, before the follow-ups are written,
        // makes the next start render all.
        if (markedRelease !== release) {
          await markFollowUpsPending(release, true);
          markedRelease = release;
        }
        return written;
      });
      void followUps.drain();
      return stats;
    },
    renderAll: () => exclusive(renderAllNow),
    settled: () => followUps.settled(),
    close: () => followUps.settled(),
    liveReleaseIsCurrent: async () => {
      const release = await currentRelease(dataDir);
      if (!release || !build) return false;
      const [stamp, pending, page] = await Promise.all([readStamp(release), hasFollowUpsPending(release), getPage(db)]);
      return stamp?.build === build && stamp.pageId === page.id && !pending;
    },
  };
}
