/** The route table: which pages exist, which a change re-renders, and where each one's file lives. */
import path from "node:path";
import type { RenderTopics } from "../../core/changes/commit.ts";
import { paths, V2_DOCUMENTS } from "../../core/public/paths.ts";

export const ID_SEGMENT = /^[0-9a-z]{1,64}$/;
export const MONTH_SEGMENT = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Routes every change re-renders: the index, the page's feeds, all Statuspage v2 documents, the history
 * index and the maintenance calendar, most-read first.
 */
export const ALWAYS_ROUTES: readonly string[] = [
  paths.index(),
  paths.feed("rss"),
  ...V2_DOCUMENTS.map(paths.v2),
  paths.feed("atom"),
  paths.history(),
  paths.maintenanceCalendar(),
  // Lists every component to choose from: cheap, and never stale after a component changes.
  paths.subscribePage(),
];

/**
 * Pages that summarise long periods (the reliability page: uptime and incidents over up to 365 days). Any
 * change and any new day can move them, and reading a year of history costs more than a change's own
 * pages: rendered with the follow-ups of every change, and in every full render. A 404 (the page setting
 * off) removes the file.
 */
export const SUMMARY_ROUTES: readonly string[] = [paths.reliability()];

/** A page route's output file: `/x/` → `x/index.html`, `/api/v2/a.json` → `api/v2/a.json`. */
export function routeFile(root: string, route: string): string {
  const relative = route.endsWith("/") ? `${route}index.html` : route;
  return path.join(root, ...relative.split("/").filter((part) => part !== ""));
}

/** A history month's page route. */
export function monthRoute(month: string): string {
  return paths.historyMonth(month);
}

/** Whether a route is a history month's page. */
export function isMonthRoute(route: string): boolean {
  const month = /^\/history\/([^/]+)\/$/.exec(route)?.[1];
  return month !== undefined && MONTH_SEGMENT.test(month) && route === monthRoute(month);
}

/** The component whose page (not feed) a route is, if it is one. */
export function componentOfPage(route: string): string | undefined {
  return /^\/components\/([^/]+)\/$/.exec(route)?.[1];
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
    ...[...incidentIds].sort().map(paths.incident),
    ...always,
    ...[...months].sort().map(monthRoute),
    ...[...withFeeds]
      .sort()
      .flatMap((id) => [paths.component(id), paths.componentFeed(id, "rss"), paths.componentFeed(id, "atom")]),
    ...[...pagesOnly].sort().map(paths.component),
  ];
}
