import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { notFound } from "../errors.ts";
import type { IncidentRecord, IncidentRow, UpdateComponentRow, UpdateRow } from "../types.ts";

const CHUNK = 500;

/** Attaches each incident's updates (newest first) and affected component ids. */
export async function loadIncidentRecords(db: Db, rows: IncidentRow[]): Promise<IncidentRecord[]> {
  const updatesByIncident = new Map<string, UpdateRow[]>();
  const changesByUpdate = new Map<string, UpdateComponentRow[]>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
    const [updates, changes] = await Promise.all([
      db
        .select()
        .from(incidentUpdates)
        .where(inArray(incidentUpdates.incidentId, ids))
        // rowid breaks ties between updates posted in the same millisecond: the later insert is newer.
        .orderBy(desc(incidentUpdates.displayAt), desc(incidentUpdates.createdAt), desc(sql`rowid`)),
      db
        .select()
        .from(updateComponents)
        .where(inArray(updateComponents.incidentId, ids))
        .orderBy(asc(updateComponents.componentName)),
    ]);
    for (const update of updates) push(updatesByIncident, update.incidentId, update);
    for (const change of changes) push(changesByUpdate, change.updateId, change);
  }
  return rows.map((row) => {
    const updates = (updatesByIncident.get(row.id) ?? []).map((u) => ({
      ...u,
      componentChanges: changesByUpdate.get(u.id) ?? [],
    }));
    const componentIds = [...new Set(updates.flatMap((u) => u.componentChanges.map((c) => c.componentId)))];
    return { ...row, updates, componentIds };
  });
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export async function getIncidentRow(db: Db, id: string): Promise<IncidentRow> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
  if (!row) throw notFound(`There is no incident with id "${id}".`);
  return row;
}

export async function getIncident(db: Db, id: string): Promise<IncidentRecord> {
  const [record] = await loadIncidentRecords(db, [await getIncidentRow(db, id)]);
  if (!record) throw notFound(`There is no incident with id "${id}".`);
  return record;
}

export type IncidentFilter = {
  kind?: "incident" | "maintenance" | undefined;
  /** Only incidents not yet resolved or completed. */
  open?: boolean | undefined;
  /** Only resolved incidents and completed maintenances. */
  closed?: boolean | undefined;
  statuses?: string[] | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
};

/** Incidents newest first (by creation), with their timelines. */
export async function listIncidents(db: Db, filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(incidents.kind, filter.kind));
  if (filter.open) conditions.push(isNull(incidents.resolvedAt));
  if (filter.closed) conditions.push(isNotNull(incidents.resolvedAt));
  if (filter.statuses) conditions.push(inArray(incidents.status, filter.statuses));
  const query = db
    .select()
    .from(incidents)
    .where(and(...conditions))
    .orderBy(desc(incidents.createdAt), desc(incidents.id))
    .$dynamic();
  if (filter.limit !== undefined) query.limit(filter.limit).offset(filter.offset ?? 0);
  return loadIncidentRecords(db, await query);
}

/** Incidents and maintenances whose updates touched any of the given components, newest first. */
export async function listIncidentsTouching(db: Db, componentIds: string[], limit?: number): Promise<IncidentRecord[]> {
  if (componentIds.length === 0) return [];
  const touching = db
    .selectDistinct({ id: updateComponents.incidentId })
    .from(updateComponents)
    .where(inArray(updateComponents.componentId, componentIds));
  const query = db
    .select()
    .from(incidents)
    .where(inArray(incidents.id, touching))
    .orderBy(desc(incidents.createdAt), desc(incidents.id))
    .$dynamic();
  if (limit !== undefined) query.limit(limit);
  return loadIncidentRecords(db, await query);
}

export async function countIncidentsTouching(db: Db, componentIds: string[]): Promise<number> {
  if (componentIds.length === 0) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(distinct ${updateComponents.incidentId})` })
    .from(updateComponents)
    .where(inArray(updateComponents.componentId, componentIds));
  return Number(row?.count ?? 0);
}
