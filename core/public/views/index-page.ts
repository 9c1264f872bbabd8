import type { IncidentRecord } from "../../model/rows.ts";
import { isActive } from "../../model/statuses.ts";
import type { PublicReads } from "../reads.ts";
import { pageStatus } from "../statuspage.ts";
import { loadUptimes } from "../uptime-views.ts";
import { componentViews, incidentView, pageInfo, RECENT_ITEMS } from "./shared.ts";
import type { IndexView } from "./types.ts";

/** The front page: status, components with uptime, what is happening now and what happened lately. */
export async function indexView(reads: PublicReads): Promise<IndexView> {
  const [page, components, open, recent] = await Promise.all([
    pageInfo(reads),
    reads.components(),
    reads.open(),
    reads.incidents({ closed: true, limit: RECENT_ITEMS, latestUpdateOnly: true }),
  ]);
  const uptimes = await loadUptimes(reads.db, components, page.updatedAt);
  const maintenances = open.filter((i) => i.kind === "maintenance");
  const byStart = (a: IncidentRecord, b: IncidentRecord) => a.startedAt.localeCompare(b.startedAt);
  // What is happening now leads recent history: a page must not read "nothing reported" under an incident.
  const active = open.filter((i) => isActive(i.kind, i.status)).sort((a, b) => byStart(b, a));
  return {
    page,
    status: pageStatus(components, open),
    components: componentViews(components, uptimes),
    openIncidents: open.filter((i) => i.kind === "incident").map(incidentView),
    activeMaintenances: maintenances
      .filter((i) => i.status !== "scheduled")
      .sort(byStart)
      .map(incidentView),
    upcomingMaintenances: maintenances
      .filter((i) => i.status === "scheduled")
      .sort(byStart)
      .map(incidentView),
    recent: [...active, ...recent].slice(0, Math.max(RECENT_ITEMS, active.length)).map(incidentView),
  };
}
