/**
 * What a change touched on the public page, reported by the plan that made it (it has the loaded state
 * to know). The commit derives everything else from the union of its changes' reports: the one render
 * job (which routes to re-render), the history months to recount and the page's `updated_at`.
 */

import type { ComponentRow } from "../model/rows.ts";
import type { RenderTopics } from "./outbox.ts";

export type Touched = {
  /** Incidents whose page, listings and feed entries changed, or that no longer exist. */
  incidents?: readonly string[];
  /** Components whose page or feeds changed, with every group whose page lists them (see `withGroups`). */
  components?: readonly string[];
  /** History months (`YYYY-MM`) whose incidents changed: recounted, and their pages re-rendered. */
  months?: readonly string[];
  /** Every page shows it (the page's settings): everything is rendered again. */
  full?: true;
};

/** The union of several changes' reports, or null when none of them is public. */
export function unionOfTouched(reports: readonly (Touched | undefined)[]): Touched | null {
  const present = reports.filter((report): report is Touched => report !== undefined);
  if (present.length === 0) return null;
  const union = (pick: (report: Touched) => readonly string[] | undefined) => [
    ...new Set(present.flatMap((report) => pick(report) ?? [])),
  ];
  const touched: Touched = {
    incidents: union((report) => report.incidents),
    components: union((report) => report.components),
    months: union((report) => report.months),
  };
  if (present.some((report) => report.full)) touched.full = true;
  return touched;
}

/**
 * The render job's topics for a report. The payload keeps the shape older Herald versions queued, so a
 * job waiting in an upgraded database renders as before; a full render names nothing else.
 */
export function renderTopicsOf(touched: Touched): RenderTopics {
  if (touched.full) return { full: true };
  const topics: RenderTopics = {};
  if (touched.incidents?.length) topics.incidents = [...touched.incidents];
  if (touched.components?.length) topics.components = [...touched.components];
  if (touched.months?.length) topics.months = [...touched.months];
  return topics;
}

/**
 * The given components with the groups whose pages list them (a group's page shows its components and
 * their incidents). `rows`: every component as any of the change's states knows it (before and after),
 * so a moved component names its old and its new group.
 */
export function withGroups(rows: readonly Pick<ComponentRow, "id" | "groupId">[], ids: Iterable<string>): string[] {
  const touched = new Set(ids);
  for (const row of rows) if (touched.has(row.id) && row.groupId) touched.add(row.groupId);
  return [...touched];
}

/** The members of a group, as any of the given rows (before and after a change) place them. */
export function membersOf(rows: readonly Pick<ComponentRow, "id" | "groupId">[], groupId: string): string[] {
  return [...new Set(rows.filter((row) => row.groupId === groupId).map((row) => row.id))];
}
