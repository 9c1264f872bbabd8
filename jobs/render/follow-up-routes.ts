/**
 * The follow-up routes of past changes, rendered after their first pass (see queue.ts, FollowUps), chosen
 * from what the changes reported and from the live release on disk, never from what this thread remembers:
 * - the component pages and feeds the reports name (the plans name groups, old and new, and members);
 * - every component's page (not its feeds), because the one thing time changes on its own is uptime (a
 *   component's 90-day bars and percentage, a new UTC day): the writer keeps a page whose bytes are the same;
 * - the summary pages (`SUMMARY_ROUTES`: the reliability page), for the same reason;
 * - the history months beside a named month that appeared or went away (each month page links to the
 *   nearest existing month on each side): a month page on disk is a month the live release shows.
 * The named months themselves are queued as soon as a change arrives (FollowUps.add).
 */
import { existsSync } from "node:fs";
import { asc } from "drizzle-orm";
import type { RenderTopics } from "../../core/changes/commit.ts";
import type { Db } from "../../db/client.ts";
import { components, historyMonths } from "../../db/schema.ts";
import { MONTH_SEGMENT, monthRoute, routeFile, routesForTopics, SUMMARY_ROUTES } from "./routes.ts";

export async function followUpRoutes(db: Db, release: string, topics: readonly RenderTopics[]): Promise<string[]> {
  const [componentRows, monthRows] = await Promise.all([
    db.select({ id: components.id }).from(components),
    db.select({ month: historyMonths.month }).from(historyMonths).orderBy(asc(historyMonths.month)),
  ]);
  const named = topics.flatMap((topic) => topic.months ?? []);
  const neighbours = monthsBeside(
    monthRows.map((row) => row.month),
    named,
    (month) => existsSync(routeFile(release, monthRoute(month))),
  );
  const componentRoutes = routesForTopics([{ components: topics.flatMap((topic) => topic.components ?? []) }], {
    pagesOnly: componentRows.map((row) => row.id),
  }).filter((route) => route.startsWith("/components/"));
  return [...neighbours.map(monthRoute), ...componentRoutes, ...SUMMARY_ROUTES];
}

/**
 * The months whose pages change with the named months beyond those months: a named month that exists now
 * but is not shown (it gained its first incident), or is shown but exists no more (it lost its last one),
 * changes the links of the nearest existing month on each side. A month that stays touches no neighbour
 * (a busy one's page holds thousands of incidents). `existing`: in order.
 */
export function monthsBeside(
  existing: readonly string[],
  named: readonly string[],
  shown: (month: string) => boolean,
): string[] {
  const now = new Set(existing);
  const touched = new Set<string>();
  for (const name of new Set(named)) {
    if (!MONTH_SEGMENT.test(name) || shown(name) === now.has(name)) continue;
    const before = existing.findLast((m) => m < name);
    const after = existing.find((m) => m > name);
    if (before) touched.add(before);
    if (after) touched.add(after);
  }
  return [...touched];
}
