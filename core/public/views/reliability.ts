import { and, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { incidents, updateComponents } from "../../../db/schema.ts";
import { formatDay } from "../../presentation/time.ts";
import { RELIABILITY_WINDOWS, readLongUptimes } from "../../uptime/long-uptime.ts";
import { uptimeWindowStart } from "../../uptime/uptime-days.ts";
import type { PublicReads } from "../reads.ts";
import { orderComponents } from "../statuspage.ts";
import { formatPercent } from "../uptime-views.ts";
import { pageInfo } from "./shared.ts";
import type { ReliabilityPageView, ReliabilityRow } from "./types.ts";

/**
 * The public reliability page (`/reliability/`), or null when the page setting `public_reliability` is off
 * (the renderer then removes the file: a 404). Every showcased component still on the page (not sunset),
 * in page order under its group: its uptime and the incidents that touched it over each window, the
 * windows being the uptime's (the last 30, 90 and 365 UTC days up to the page's last change).
 */
export async function reliabilityPageView(reads: PublicReads): Promise<ReliabilityPageView | null> {
  const [row, page, all] = await Promise.all([reads.page(), pageInfo(reads), reads.components()]);
  if (!row.publicReliability) return null;
  const asOf = page.updatedAt;
  const shown = orderComponents(all).filter((c) => !c.isGroup && c.showcase && c.stage !== "sunset");
  const starts = RELIABILITY_WINDOWS.map((days) => new Date(uptimeWindowStart(asOf, days)).toISOString());
  const [uptimes, counts] = await Promise.all([
    readLongUptimes(reads.db, shown, asOf),
    incidentCounts(reads.db, starts, asOf),
  ]);
  const groupName = new Map(all.filter((c) => c.isGroup).map((c) => [c.id, c.name]));
  const rows = shown.map((component): ReliabilityRow => {
    const perWindow = uptimes.get(component.id);
    return {
      id: component.id,
      name: component.name,
      group: component.groupId ? (groupName.get(component.groupId) ?? null) : null,
      uptime: RELIABILITY_WINDOWS.map((days) => {
        const uptime = perWindow?.get(days);
        const percent = uptime?.percent ?? null;
        return {
          percent,
          label: formatPercent(percent),
          since: uptime?.since ? formatDay(uptime.since) : null,
        };
      }),
      incidents: counts.byComponent.get(component.id) ?? RELIABILITY_WINDOWS.map(() => 0),
    };
  });
  return {
    page,
    asOf,
    windows: RELIABILITY_WINDOWS.map((days, i) => ({ days, label: `${days} days`, from: starts[i] ?? asOf })),
    rows,
    incidents: counts.total,
  };
}

/** Incidents (not maintenances) that began in each window: all of them, and per component they touched. */
async function incidentCounts(
  db: Db,
  starts: readonly string[],
  asOf: string,
): Promise<{ total: number[]; byComponent: Map<string, number[]> }> {
  const earliest = [...starts].sort()[0] ?? asOf;
  const inWindow = and(
    eq(incidents.kind, "incident"),
    // A range of the month index first, then the exact instants.
    sql`substr(${incidents.startedAt}, 1, 7) >= ${earliest.slice(0, 7)}`,
    gte(incidents.startedAt, earliest),
    lte(incidents.startedAt, asOf),
  );
  // One count per window, named w0, w1, … in the windows' order.
  const perWindow = (startedAt: SQL) =>
    sql.join(
      starts.map((from, i) => sql`coalesce(sum(${startedAt} >= ${from}), 0) AS ${sql.raw(`w${i}`)}`),
      sql`, `,
    );
  type Counts = Record<string, number | null>;
  const numbers = (row: Counts | undefined) => starts.map((_, i) => Number(row?.[`w${i}`] ?? 0));
  const touched = db
    .selectDistinct({ componentId: updateComponents.componentId, incidentId: incidents.id, at: incidents.startedAt })
    .from(incidents)
    .innerJoin(updateComponents, eq(updateComponents.incidentId, incidents.id))
    .where(inWindow)
    .as("touched");
  const [totalRow, componentRows] = await Promise.all([
    db.all<Counts>(sql`SELECT ${perWindow(sql`${incidents.startedAt}`)} FROM ${incidents} WHERE ${inWindow}`),
    db.all<Counts & { component: string }>(
      sql`SELECT ${touched.componentId} AS component, ${perWindow(sql`${touched.at}`)} FROM ${touched} GROUP BY ${touched.componentId}`,
    ),
  ]);
  return {
    total: numbers(totalRow[0]),
    byComponent: new Map(componentRows.map((row) => [row.component, numbers(row)])),
  };
}
