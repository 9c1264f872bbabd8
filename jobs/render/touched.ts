/**
 * The touched set: which pages a change touches beyond the ones its topics name. Component pages are
 * found by comparing the components now with what the live release shows of them; history months by
 * the months around the ones a change names.
 */
import { createHash } from "node:crypto";
import { asc, inArray } from "drizzle-orm";
import type { RenderTopics } from "../../core/commit.ts";
import { componentUptimes } from "../../core/public/site-views.ts";
import type { UptimeView } from "../../core/public/uptime-views.ts";
import type { Db } from "../../db/client.ts";
import { components, historyMonths, incidents, updateComponents } from "../../db/schema.ts";
import type { ComponentRoutes } from "./routes.ts";

/**
 * What the live release shows of each component beyond its own topics: its group, its uptime, and its
 * name (a group's members show it in their breadcrumb).
 */
type ComponentState = { groupId: string | null; name: string; uptime: string };
export type ComponentStates = Map<string, ComponentState>;

export async function componentStates(db: Db): Promise<ComponentStates> {
  const [rows, uptimes] = await Promise.all([
    db.select({ id: components.id, groupId: components.groupId, name: components.name }).from(components),
    componentUptimes(db),
  ]);
  // What pages show of it: the rounded label, not the raw fraction (that moves with every minute).
  const shownUptime = (uptime: UptimeView | undefined) =>
    uptime ? [uptime.percent === null, uptime.percentLabel, uptime.days] : null;
  const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("base64");
  return new Map(
    rows.map((c) => [c.id, { groupId: c.groupId, name: c.name, uptime: hash(shownUptime(uptimes.get(c.id))) }]),
  );
}

/**
 * The component pages a change touches beyond the components its topics name, by comparing the
 * components now with what the live release shows of them (`shown`):
 * - the components an incident's updates touched (their incident lists and feeds);
 * - a component's group, old and new (a group's page lists its components and their incidents), and
 *   a deleted group's former components;
 * - a renamed group's members, old and new (their breadcrumb shows its name; pages only);
 * - components whose uptime moved: time passes with every change, and a new UTC day moves every
 *   component's 90-day window (pages only: feeds do not show uptime);
 * - every component when a named incident no longer exists: a deletion leaves no record of what it touched.
 */
export async function componentsTouched(
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
    if (before?.name !== after?.name) {
      for (const states of [shown, now]) {
        for (const [memberId, member] of states) if (member.groupId === id) pagesOnly.add(memberId);
      }
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

/**
 * The history months whose pages change with the months a change names beyond those months: each
 * month page links to the nearest months before and after it, so a month that gains its first incident
 * or loses its last one changes the links of the nearest existing month on each side. `shown`: the
 * months the live release's pages link (null when unknown: then every named month counts as such a
 * change). A month that stays (a busy one's page holds thousands of incidents) touches no neighbour.
 */
export async function monthsTouched(
  db: Db,
  named: readonly string[],
  shown: ReadonlySet<string> | null,
): Promise<{ months: string[]; now: Set<string> }> {
  const existing = (
    await db.select({ month: historyMonths.month }).from(historyMonths).orderBy(asc(historyMonths.month))
  ).map((r) => r.month);
  const now = new Set(existing);
  const touched = new Set<string>();
  for (const name of new Set(named)) {
    if (shown && shown.has(name) === now.has(name)) continue;
    const before = existing.findLast((m) => m < name);
    const after = existing.find((m) => m > name);
    if (before) touched.add(before);
    if (after) touched.add(after);
  }
  return { months: [...touched], now };
}
