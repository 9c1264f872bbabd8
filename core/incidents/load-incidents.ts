import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { notFound } from "../errors.ts";
import type { IncidentRecord, IncidentRow, UpdateComponentRow, UpdateRow } from "../types.ts";

const CHUNK = 500;

/** Updates newest first; rowid breaks ties between updates posted in the same millisecond. */
const NEWEST_FIRST = sql`${incidentUpdates.displayAt} DESC, ${incidentUpdates.createdAt} DESC, ${incidentUpdates}.rowid DESC`;

/**
 * Attaches each incident's updates (newest first) and affected component ids. Lists that show only an
 * incident's latest update (history, a component's page) pass `latestUpdateOnly`: a month of a busy
 * page holds hundreds of incidents, and loading every update of each made it the slowest page to render.
 */
export async function loadIncidentRecords(
  db: Db,
  rows: IncidentRow[],
  options: { latestUpdateOnly?: boolean } = {},
): Promise<IncidentRecord[]> {
  const updatesByIncident = new Map<string, UpdateRow[]>();
  const changesByUpdate = new Map<string, UpdateComponentRow[]>();
  const componentsByIncident = new Map<string, Map<string, string>>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
    const latestIds = db
      .select({
        // Spelled out: drizzle renders a lone column unqualified, which the subquery would read as u.id.
        id: sql<string>`(SELECT u.id FROM incident_updates u WHERE u.incident_id = incidents.id ORDER BY u.display_at DESC, u.created_at DESC, u.rowid DESC LIMIT 1)`,
      })
      .from(incidents)
      .where(inArray(incidents.id, ids));
    const [updates, changes] = await Promise.all([
      db
        .select()
        .from(incidentUpdates)
        .where(
          options.latestUpdateOnly ? inArray(incidentUpdates.id, latestIds) : inArray(incidentUpdates.incidentId, ids),
        )
        .orderBy(NEWEST_FIRST),
      db
        .select()
        .from(updateComponents)
        .where(inArray(updateComponents.incidentId, ids))
        .orderBy(asc(updateComponents.componentName)),
    ]);
    for (const update of updates) push(updatesByIncident, update.incidentId, update);
    for (const change of changes) {
      push(changesByUpdate, change.updateId, change);
      const seen = componentsByIncident.get(change.incidentId) ?? new Map<string, string>();
      seen.set(change.componentId, change.componentName);
      componentsByIncident.set(change.incidentId, seen);
    }
  }
  return rows.map((row) => ({
    ...row,
    updates: (updatesByIncident.get(row.id) ?? []).map((u) => ({
      ...u,
      componentChanges: changesByUpdate.get(u.id) ?? [],
    })),
    componentIds: [...(componentsByIncident.get(row.id)?.keys() ?? [])],
    affectedComponents: [...(componentsByIncident.get(row.id) ?? [])].map(([id, name]) => ({ id, name })),
  }));
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
  /** Load only each incident's latest update (for lists). */
  latestUpdateOnly?: boolean | undefined;
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
  return loadIncidentRecords(db, await query, { latestUpdateOnly: filter.latestUpdateOnly });
}

/** Incidents and maintenances whose updates touched any of the given components, newest first. */
export async function listIncidentsTouching(
  db: Db,
  componentIds: string[],
  options: { limit?: number; latestUpdateOnly?: boolean } = {},
): Promise<IncidentRecord[]> {
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
  if (options.limit !== undefined) query.limit(options.limit);
  return loadIncidentRecords(db, await query, { latestUpdateOnly: options.latestUpdateOnly });
}

export async function countIncidentsTouching(db: Db, componentIds: string[]): Promise<number> {
  if (componentIds.length === 0) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(distinct ${updateComponents.incidentId})` })
    .from(updateComponents)
    .where(inArray(updateComponents.componentId, componentIds));
  return Number(row?.count ?? 0);
}
