/**
 * Content render (flow 2 of ARCHITECTURE.md): renders site pages with the Astro server build, without
 * Vite, into the public folder. A change re-renders only the routes it touches, each file replaced
 * atomically; a full render writes a new release folder and switches the `site` symlink to it at once.
 * See /work/shared/render-notes.md for the measured recipe this follows.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import {
  cp,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { inArray, sql } from "drizzle-orm";
import type { RenderTopics } from "../../core/commit.ts";
import { componentUptimes, createSiteData, type SiteData } from "../../core/public/site-views.ts";
import { V2_DOCUMENTS } from "../../core/public/statuspage.ts";
import type { UptimeView } from "../../core/public/uptime-views.ts";
import type { Db } from "../../db/client.ts";
import { components, incidents, updateComponents } from "../../db/schema.ts";

export type RenderStats = { routes: number; written: number; unchanged: number; removed: number; ms: number };

export type Renderer = {
  /**
   * Renders the routes a set of changes touched (the union of several jobs' topics). It resolves once the
   * index, incident pages, history index, feeds and JSON are written; history months and component pages
   * follow, one per turn of the render queue (`settled`).
   */
  renderTopics(topics: RenderTopics[]): Promise<RenderStats>;
  /** Renders every route into a new release folder, then switches the live site to it atomically. */
  renderAll(): Promise<RenderStats>;
  /** Resolves once the component pages of past changes are rendered (they follow a change's other routes). */
  settled(): Promise<void>;
};

type Locals = { site: SiteData };
type SiteApp = { render(request: Request, options: { locals: Locals }): Promise<Response> };

/** Requests need an origin; pages build their public links from the page's URL, never from this. */
const ORIGIN = "http://herald.invalid";
const CONCURRENCY = 4;
/**
 * Follow-up routes (months, component pages) render one per turn of the queue: a change that arrives
 * meanwhile waits for at most one page (rendering is CPU-bound on one thread, so batching gains nothing).
 */
const FOLLOW_BATCH = 1;
const RELEASES = "releases";
const TEMP_SUFFIX = ".tmp";
const ID_SEGMENT = /^[0-9a-z]{1,64}$/;
const MONTH_SEGMENT = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Routes every change re-renders: the index, the page's feeds, all Statuspage v2 documents, the history
 * index and the maintenance calendar, most-read first.
 */
export const ALWAYS_ROUTES: readonly string[] = [
  "/",
  "/history.rss",
  ...V2_DOCUMENTS.map((name) => `/api/v2/${name}`),
  "/history.atom",
  "/history/",
  "/maintenance.ics",
];

/** The live site: a symlink to the current release folder. */
export function currentSiteDir(dataDir: string): string {
  return path.join(dataDir, "site");
}

/** A page route's output file: `/x/` → `x/index.html`, `/api/v2/a.json` → `api/v2/a.json`. */
export function routeFile(root: string, route: string): string {
  const relative = route.endsWith("/") ? `${route}index.html` : route;
  return path.join(root, ...relative.split("/").filter((part) => part !== ""));
}

/** Component pages to render besides what the topics name: with their feeds, or the page alone. */
export type ComponentRoutes = { withFeeds?: Iterable<string>; pagesOnly?: Iterable<string> };

/**
 * The routes a set of changes touches, in a stable order: the routes readers look at first (index,
 * incident pages, feeds, JSON) come first, component pages last, so the most-read files are replaced first.
 */
export function routesForTopics(topics: RenderTopics[], extra: ComponentRoutes = {}): string[] {
  const incidentIds = new Set<string>();
  const months = new Set<string>();
  const withFeeds = new Set<string>();
  const pagesOnly = new Set<string>();
  for (const topic of topics) {
    for (const id of topic.incidents ?? []) if (ID_SEGMENT.test(id)) incidentIds.add(id);
    for (const month of topic.months ?? []) if (MONTH_SEGMENT.test(month)) months.add(month);
    for (const id of topic.components ?? []) if (ID_SEGMENT.test(id)) withFeeds.add(id);
  }
  for (const id of extra.withFeeds ?? []) if (ID_SEGMENT.test(id)) withFeeds.add(id);
  for (const id of extra.pagesOnly ?? []) if (ID_SEGMENT.test(id) && !withFeeds.has(id)) pagesOnly.add(id);
  const [index, ...always] = ALWAYS_ROUTES;
  return [
    ...(index ? [index] : []),
    ...[...incidentIds].sort().map((id) => `/incidents/${id}/`),
    ...always,
    ...[...months].sort().map((month) => `/history/${month}/`),
    ...[...withFeeds]
      .sort()
      .flatMap((id) => [`/components/${id}/`, `/components/${id}/history.rss`, `/components/${id}/history.atom`]),
    ...[...pagesOnly].sort().map((id) => `/components/${id}/`),
  ];
}

/** What the live release shows of each component beyond its own topics: its group and its uptime. */
type ComponentState = { groupId: string | null; uptime: string };
type ComponentStates = Map<string, ComponentState>;

async function componentStates(db: Db): Promise<ComponentStates> {
  const [rows, uptimes] = await Promise.all([
    db.select({ id: components.id, groupId: components.groupId }).from(components),
    componentUptimes(db),
  ]);
  // What pages show of it: the rounded label, not the raw fraction (that moves with every minute).
  const shownUptime = (uptime: UptimeView | undefined) =>
    uptime ? [uptime.percent === null, uptime.percentLabel, uptime.days] : null;
  const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("base64");
  return new Map(rows.map((c) => [c.id, { groupId: c.groupId, uptime: hash(shownUptime(uptimes.get(c.id))) }]));
}

/**
 * The component pages a change touches beyond the components its topics name, by comparing the
 * components now with what the live release shows of them (`shown`):
 * - the components an incident's updates touched (their incident lists and feeds);
 * - a component's group, old and new (a group's page lists its components and their incidents), and
 *   a deleted group's former components;
 * - components whose uptime moved: time passes with every change, and a new UTC day moves every
 *   component's 90-day window (pages only: feeds do not show uptime);
 * - every component when a named incident no longer exists: a deletion leaves no record of what it touched.
 */
async function componentsTouched(
  db: Db,
  topics: RenderTopics[],
  shown: ComponentStates,
): Promise<{ routes: ComponentRoutes; now: ComponentStates }> {
  const incidentIds = [...new Set(topics.flatMap((t) => t.incidents ?? []))];
  const [now, viaIncidents, existing] = await Promise.all([
    componentStates(db),
    incidentIds.length > 0
      ? db
          .selectDistinct({ id: updateComponents.componentId })
          .from(updateComponents)
          .where(inArray(updateComponents.incidentId, incidentIds))
      : Promise.resolve([]),
    incidentIds.length > 0
      ? db.select({ id: incidents.id }).from(incidents).where(inArray(incidents.id, incidentIds))
      : Promise.resolve([]),
  ]);
  const withFeeds = new Set([...topics.flatMap((t) => t.components ?? []), ...viaIncidents.map((r) => r.id)]);
  const pagesOnly = new Set<string>();
  if (existing.length < incidentIds.length) {
    for (const id of now.keys()) withFeeds.add(id);
  }
  for (const id of new Set([...now.keys(), ...shown.keys()])) {
    const before = shown.get(id);
    const after = now.get(id);
    if (before?.uptime !== after?.uptime) pagesOnly.add(id);
    if (before?.groupId !== after?.groupId) {
      withFeeds.add(id);
      if (before?.groupId) withFeeds.add(before.groupId);
    }
    if (before && !after) {
      // Deleted: its page goes (404), and a group's former components lose their group.
      for (const [childId, child] of shown) if (child.groupId === id) withFeeds.add(childId);
    }
  }
  for (const set of [withFeeds, pagesOnly]) {
    for (const id of [...set]) {
      const groupId = now.get(id)?.groupId ?? shown.get(id)?.groupId;
      if (groupId) set.add(groupId);
    }
  }
  return { routes: { withFeeds, pagesOnly }, now };
}

export async function createRenderer(options: { db: Db; dataDir: string; siteDist: string }): Promise<Renderer> {
  const { db, dataDir, siteDist } = options;
  const app = await loadApp(siteDist);
  const siteLink = currentSiteDir(dataDir);
  const releasesDir = path.join(dataDir, RELEASES);
  await mkdir(releasesDir, { recursive: true });
  await cleanTempFiles(dataDir, siteLink);

  type Outcome = "written" | "unchanged" | "removed";
  /**
   * What the live release shows of each component (see componentsTouched). A component missing here
   * (none before this process's first full render) has its pages rendered with the next change.
   */
  let shown: ComponentStates = new Map();

  /** Renders one route into `root`: 200 → write if the bytes changed, 404 → remove, else throw. */
  async function renderRoute(root: string, route: string, locals: Locals): Promise<Outcome> {
    const response = await app.render(new Request(new URL(route, ORIGIN)), { locals });
    const file = routeFile(root, route);
    if (response.status === 404) {
      await response.body?.cancel();
      return (await removeFile(file, root)) ? "removed" : "unchanged";
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`Rendering ${route} answered ${response.status}: the old file is kept.`);
    }
    return writeAtomically(file, new Uint8Array(await response.arrayBuffer()));
  }

  async function renderRoutes(root: string, routes: string[], started: number): Promise<RenderStats> {
    const locals: Locals = { site: createSiteData(db) };
    const stats: RenderStats = { routes: routes.length, written: 0, unchanged: 0, removed: 0, ms: 0 };
    const failures: unknown[] = [];
    await eachLimited(routes, CONCURRENCY, async (route) => {
      try {
        stats[await renderRoute(root, route, locals)] += 1;
      } catch (error) {
        failures.push(error);
      }
    });
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} of ${routes.length} routes failed to render.`);
    }
    stats.ms = Math.round(performance.now() - started);
    return stats;
  }

  async function currentRelease(): Promise<string | null> {
    try {
      return path.resolve(dataDir, await readlink(siteLink));
    } catch (error) {
      if (isCode(error, "ENOENT")) return null;
      if (isCode(error, "EINVAL"))
        throw new Error(`${siteLink} is not a symlink; move it away so Herald can manage it.`);
      throw error;
    }
  }

  async function renderAllNow(): Promise<RenderStats> {
    const started = performance.now();
    const previous = await currentRelease();
    const id = `${new Date().toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`;
    const release = path.join(releasesDir, id);
    let stats: RenderStats;
    let states: ComponentStates;
    try {
      ({ stats, states } = await renderRelease(release, started));
    } catch (error) {
      // A failed full render leaves the live site as it was and no half-written release behind.
      await rm(release, { recursive: true, force: true });
      throw error;
    }

    const temp = path.join(dataDir, `.site.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
    await symlink(path.relative(dataDir, release), temp);
    try {
      await rename(temp, siteLink);
    } catch (error) {
      await unlink(temp).catch(() => {});
      await rm(release, { recursive: true, force: true });
      throw isCode(error, "EISDIR") || isCode(error, "ENOTEMPTY") || isCode(error, "EEXIST")
        ? new Error(`${siteLink} is a folder, not a symlink; move it away so Herald can manage it.`)
        : error;
    }
    // Everything pending before this render read the database is in the new release.
    shown = states;
    pendingTopics = [];
    pendingRoutes.clear();
    await pruneReleases([release, previous]);
    stats.ms = Math.round(performance.now() - started);
    return stats;
  }

  /** Renders every route into `release`; `states` are the components as read before rendering them. */
  async function renderRelease(
    release: string,
    started: number,
  ): Promise<{ stats: RenderStats; states: ComponentStates }> {
    await mkdir(release, { recursive: true });
    // Assets first: a page is never written before the stylesheet it links to.
    await cp(path.join(siteDist, "client"), release, { recursive: true });
    const month = sql<string>`substr(${incidents.startedAt}, 1, 7)`;
    const [idRows, monthRows, states] = await Promise.all([
      db.select({ id: incidents.id }).from(incidents),
      db.selectDistinct({ month }).from(incidents),
      componentStates(db),
    ]);
    const routes = routesForTopics([
      {
        incidents: idRows.map((r) => r.id),
        months: monthRows.map((r) => r.month),
        components: [...states.keys()],
      },
    ]);
    const stats = await renderRoutes(release, routes, started);
    await writeNotFoundPage(release);
    return { stats, states };
  }

  async function writeNotFoundPage(root: string): Promise<void> {
    const response = await app.render(new Request(new URL("/404/", ORIGIN)), { locals: { site: createSiteData(db) } });
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength === 0) throw new Error(`Rendering the 404 page answered ${response.status} with no body.`);
    await writeAtomically(path.join(root, "404.html"), body);
  }

  /** Keeps the new release and the one it replaced; removes older and abandoned ones. */
  async function pruneReleases(keep: (string | null)[]): Promise<void> {
    const kept = new Set(keep.filter((dir): dir is string => dir !== null).map((dir) => path.resolve(dir)));
    for (const entry of await readdir(releasesDir, { withFileTypes: true })) {
      const dir = path.join(releasesDir, entry.name);
      if (!kept.has(dir)) await rm(dir, { recursive: true, force: true });
    }
  }

  // One render at a time in this process: a full render's switch never races a partial render.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  }

  // History months and component pages come after a change's other routes, one at a time and each
  // batch on its own turn of the queue, so the next change's index, incident page and feeds never wait
  // behind them.
  let pendingTopics: RenderTopics[] = [];
  const pendingRoutes = new Set<string>();
  /** The components as read before the pending routes were chosen: what those pages will show at least. */
  let snapshot: ComponentStates = new Map();
  let draining: Promise<void> | null = null;

  function drainComponents(): Promise<void> {
    draining ??= (async () => {
      try {
        while (pendingTopics.length > 0 || pendingRoutes.size > 0) await exclusive(renderComponentBatch);
      } catch (error) {
        // The routes stay pending: the next change retries them (and a restart renders everything).
        console.error("Herald: rendering component pages failed; retrying with the next change.", error);
      } finally {
        draining = null;
      }
    })();
    return draining;
  }

  async function renderComponentBatch(): Promise<void> {
    const release = await currentRelease();
    if (!release) {
      // Nothing live to update: the next full render writes every page.
      pendingTopics = [];
      pendingRoutes.clear();
      return;
    }
    if (pendingTopics.length > 0) {
      const topics = pendingTopics;
      pendingTopics = [];
      const touched = await componentsTouched(db, topics, shown);
      snapshot = touched.now;
      for (const route of routesForTopics([], touched.routes)) {
        if (route.startsWith("/components/")) pendingRoutes.add(route);
      }
    }
    const batch = [...pendingRoutes].slice(0, FOLLOW_BATCH);
    await renderRoutes(release, batch, performance.now());
    for (const route of batch) {
      pendingRoutes.delete(route);
      const id = /^\/components\/([^/]+)\/$/.exec(route)?.[1];
      const state = id ? snapshot.get(id) : undefined;
      if (id && state) shown.set(id, state);
      else if (id) shown.delete(id);
    }
  }

  return {
    renderTopics: async (topics) => {
      const stats = await exclusive(async () => {
        const started = performance.now();
        if (topics.some((t) => t.full)) return renderAllNow();
        const release = await currentRelease();
        if (!release) return renderAllNow();
        if (topics.length === 0) return { routes: 0, written: 0, unchanged: 0, removed: 0, ms: 0 };
        pendingTopics.push(...topics);
        // History months follow with the component pages: a busy month is the costliest page to render.
        for (const month of topics.flatMap((t) => t.months ?? [])) {
          if (MONTH_SEGMENT.test(month)) pendingRoutes.add(`/history/${month}/`);
        }
        const first = topics.map((t) => ({ ...t, components: [], months: [] }));
        return renderRoutes(release, routesForTopics(first), started);
      });
      void drainComponents();
      return stats;
    },
    renderAll: () => exclusive(renderAllNow),
    settled: async () => {
      while (draining) await draining;
    },
  };
}

async function loadApp(siteDist: string): Promise<SiteApp> {
  const entry = path.join(siteDist, "server", "entry.mjs");
  let module: unknown;
  try {
    module = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new Error(`Cannot load the site renderer ${entry}: build it with \`astro build --root site\`.`, {
      cause: error,
    });
  }
  const app = (module as { app?: unknown }).app;
  if (typeof app !== "object" || app === null || typeof (app as { render?: unknown }).render !== "function") {
    throw new Error(`${entry} does not export an Astro app: is site/adapter the build's adapter?`);
  }
  return app as SiteApp;
}

/** Writes a dot-prefixed temp file beside the target, then renames it over: readers never see half a file. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<"written" | "unchanged"> {
  try {
    const existing = await readFile(file);
    if (existing.equals(bytes)) return "unchanged";
  } catch (error) {
    if (!isCode(error, "ENOENT")) throw error;
  }
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
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
async function removeFile(file: string, root: string): Promise<boolean> {
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
async function cleanTempFiles(dataDir: string, siteLink: string): Promise<void> {
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

async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
