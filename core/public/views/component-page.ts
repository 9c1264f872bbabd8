import { listIncidentsTouching } from "../../incidents/load-incidents.ts";
import type { PublicReads } from "../reads.ts";
import { loadUptimes, withIncidents } from "../uptime-views.ts";
import { COMPONENT_PAGE_ITEMS, componentView, incidentView, pageInfo } from "./shared.ts";
import type { ComponentPageView } from "./types.ts";

/** One component's (or group's) page; null when there is no such component. */
export async function componentPageView(reads: PublicReads, id: string): Promise<ComponentPageView | null> {
  const [page, components] = await Promise.all([pageInfo(reads), reads.components()]);
  const row = components.find((c) => c.id === id);
  if (!row) return null;
  const uptimes = await loadUptimes(
    reads.db,
    row.isGroup ? components.filter((c) => c.groupId === id) : [row],
    page.updatedAt,
  );
  const group = row.groupId ? components.find((c) => c.id === row.groupId) : undefined;
  const touching = row.isGroup ? components.filter((c) => c.groupId === id).map((c) => c.id) : [id];
  const { records, count } = await listIncidentsTouching(reads.db, touching, {
    limit: COMPONENT_PAGE_ITEMS,
    latestUpdateOnly: true,
    openFirst: true,
  });
  const own = uptimes.get(id);
  if (own) uptimes.set(id, withIncidents(own, records, page.updatedAt));
  return {
    page,
    component: componentView(row, components, uptimes),
    group: group ? { id: group.id, name: group.name } : null,
    incidents: records.map(incidentView),
    incidentCount: count,
  };
}
