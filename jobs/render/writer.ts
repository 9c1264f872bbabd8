/**
 * The writer: asks the site app for routes and puts each answer in place under a root folder (a release),
 * one file at a time: 200 → written if its bytes changed, 404 → removed, anything else → the old file kept.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate } from "node:timers/promises";
import { createSiteData } from "../../core/public/site-views.ts";
import type { Db } from "../../db/client.ts";
import { removeFile, writeAtomically } from "./atomic-files.ts";
import { checkHold, type Hold } from "./hold.ts";
import { routeFile } from "./routes.ts";
import { type Locals, renderPage, type SiteApp } from "./site-app.ts";

export type RenderStats = { routes: number; written: number; unchanged: number; removed: number; ms: number };

/**
 * What a render changed in the live site, for whoever keeps its files in memory (the Node server):
 * one file of the live release replaced or removed, or a new release switched live.
 */
export type SiteChange = { file: string } | { release: string };

export type WriteOptions = {
  /** `root` is the live release: each file replaced or removed is announced. */
  live: boolean;
  /** When the pass began, for its stats' `ms`. */
  started: number;
  /** Called after each route is written (the full render collects garbage after a month's page). */
  afterEach?: () => void;
  /** Checked before each route: once it is lost, the pass stops (RenderStopped). */
  hold?: Hold | undefined;
};

export type RouteWriter = {
  /**
   * Renders and writes the routes one at a time, in their order: the first (most-read) page is in place
   * soonest. A route that fails leaves its old file; the others are still written, then the call fails.
   */
  writeRoutes(root: string, routes: readonly string[], options: WriteOptions): Promise<RenderStats>;
  /** Writes the release's `404.html`. */
  writeNotFoundPage(root: string): Promise<void>;
};

export function emptyStats(): RenderStats {
  return { routes: 0, written: 0, unchanged: 0, removed: 0, ms: 0 };
}

/** Adds a part's counts into `total` (not its `ms`: a pass times itself). */
export function addStats(total: RenderStats, part: RenderStats): void {
  for (const key of ["routes", "written", "unchanged", "removed"] as const) total[key] += part[key];
}

export function createRouteWriter(app: SiteApp, db: Db, notify: (change: SiteChange) => void): RouteWriter {
  type Outcome = "written" | "unchanged" | "removed";

  async function writeRoute(root: string, route: string, locals: Locals, live: boolean): Promise<Outcome> {
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

  return {
    async writeRoutes(root, routes, { live, started, afterEach, hold }) {
      const locals: Locals = { site: createSiteData(db) };
      const stats: RenderStats = { ...emptyStats(), routes: routes.length };
      const failures: unknown[] = [];
      for (const route of routes) {
        checkHold(hold);
        try {
          stats[await writeRoute(root, route, locals, live)] += 1;
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
    },

    async writeNotFoundPage(root) {
      const response = await renderPage(app, "/404/", { site: createSiteData(db) });
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.byteLength === 0) throw new Error(`Rendering the 404 page answered ${response.status} with no body.`);
      writeAtomically(path.join(root, "404.html"), body);
    },
  };
}
