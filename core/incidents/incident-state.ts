import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { notFound } from "../actions/errors.ts";
import { type ComponentState, loadComponentState } from "../components/component-state.ts";
import type { IncidentRecord } from "../model/rows.ts";
import type { ComponentStatus } from "../model/statuses.ts";
import { loadIncidentRecords } from "./load-incidents.ts";

/**
 * What incident changes are planned from, read once: the page, every component, the incidents being
 * changed (with their timelines) and what every open incident holds each component at.
 */
export type IncidentState = ComponentState & {
  incidents: Map<string, IncidentRecord>;
  /** Open incident id → component id → the status its latest update set (who holds a component down). */
  holds: Map<string, Map<string, ComponentStatus>>;
};

export async function loadIncidentState(db: Db, incidentIds: string[] = []): Promise<IncidentState> {
  const [base, rows, holdRows] = await Promise.all([
    loadComponentState(db),
    incidentIds.length > 0 ? db.select().from(incidents).where(inArray(incidents.id, incidentIds)) : [],
    db
      .select({
        incidentId: updateComponents.incidentId,
        componentId: updateComponents.componentId,
        newStatus: updateComponents.newStatus,
      })
      .from(updateComponents)
      .innerJoin(incidents, eq(incidents.id, updateComponents.incidentId))
      .innerJoin(incidentUpdates, eq(incidentUpdates.id, updateComponents.updateId))
      // A maintenance that has not started holds nothing yet: its components keep their status until then.
      .where(and(isNull(incidents.resolvedAt), ne(incidents.status, "scheduled")))
      .orderBy(incidentUpdates.createdAt, sql`${incidentUpdates}.rowid`),
  ]);
  const records = await loadIncidentRecords(db, rows);
  const holds = new Map<string, Map<string, ComponentStatus>>();
  for (const row of holdRows) {
    const held = holds.get(row.incidentId) ?? new Map<string, ComponentStatus>();
    held.set(row.componentId, row.newStatus);
    holds.set(row.incidentId, held);
  }
  return { ...base, incidents: new Map(records.map((r) => [r.id, r])), holds };
}

export function findIncident(state: IncidentState, id: string): IncidentRecord {
  const record = state.incidents.get(id);
  if (!record) throw notFound(`There is no incident with id "${id}".`);
  return record;
}
