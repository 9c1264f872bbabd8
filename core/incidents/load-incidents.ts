import { and, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { inJsonArray, selectRowsAsJson } from "../../db/json-rows.ts";
import { incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { notFound } from "../actions/errors.ts";
import type { IncidentRecord, IncidentRow, UpdateComponentRow, UpdateRecord, UpdateRow } from "../model/rows.ts";
import type { UpdateStatus } from "../model/statuses.ts";

const CHUNK = 500;

/** Updates newest first; rowid breaks ties between updates posted in the same millisecond. */
const NEWEST_FIRST = sql`${incidentUpdates.displayAt} DESC, ${incidentUpdates.createdAt} DESC, ${incidentUpdates}.rowid DESC`;

/** Incidents newest first by creation; the id breaks ties. */
const CREATED_NEWEST_FIRST = sql`${incidents.createdAt} DESC, ${incidents.id} DESC`;

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
  const changesByIncident = new Map<string, UpdateComponentRow[]>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
    const latestIds = db
      .select({
        // Spelled out: drizzle renders a lone column unqualified, which the subquery would read as u.id.
        id: sql<string>`(SELECT u.id FROM incident_updates u WHERE u.incident_id = incidents.id AND u.published_at IS NOT NULL ORDER BY u.display_at DESC, u.created_at DESC, u.rowid DESC LIMIT 1)`,
      })
      .from(incidents)
      .where(inJsonArray(incidents.id, ids));
    const [updates, changes] = await Promise.all([
      selectRowsAsJson(db, incidentUpdates, {
        where: and(
          options.latestUpdateOnly
            ? inArray(incidentUpdates.id, latestIds)
            : inJsonArray(incidentUpdates.incidentId, ids),
          // A timed update waiting for its publish_at is on no page, feed, document or mail.
          isNotNull(incidentUpdates.publishedAt),
        ),
        orderBy: NEWEST_FIRST,
      }),
      selectRowsAsJson(db, updateComponents, {
        where: inJsonArray(updateComponents.incidentId, ids),
        orderBy: sql`${updateComponents.componentName} ASC, ${updateComponents.componentId} ASC`,
      }),
    ]);
    for (const update of updates) push(updatesByIncident, update.incidentId, update);
    for (const change of changes) {
      push(changesByUpdate, change.updateId, change);
      push(changesByIncident, change.incidentId, change);
    }
  }
  return rows.map((row) => ({
    ...row,
    updates: (updatesByIncident.get(row.id) ?? []).map((u) => ({
      ...u,
      componentChanges: changesByUpdate.get(u.id) ?? [],
    })),
    ...affectedBy(changesByIncident.get(row.id) ?? []),
  }));
}

/** Component changes in the order records list them: by component name, then id. */
export function byComponentName(a: UpdateComponentRow, b: UpdateComponentRow): number {
  return byteOrder(a.componentName, b.componentName) || byteOrder(a.componentId, b.componentId);
}

/** SQLite's BINARY collation: UTF-8 byte order, which is code point order (not UTF-16 unit order). */
function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * The components an incident's changes touched, in name order (`changes` sorted `byComponentName`),
 * each under the last name it had. Shared by the loader and the planner, so a planned record is what a
 * reload would return.
 */
export function affectedBy(changes: UpdateComponentRow[]): Pick<IncidentRecord, "componentIds" | "affectedComponents"> {
  const seen = new Map<string, string>();
  for (const change of changes) seen.set(change.componentId, change.componentName);
  return {
    componentIds: [...seen.keys()],
    affectedComponents: [...seen].map(([id, name]) => ({ id, name })),
  };
}

/** Updates newest first, as `NEWEST_FIRST` orders them; a stable sort keeps later-written ties first. */
export function newestFirst(updates: UpdateRecord[]): UpdateRecord[] {
  return [...updates].sort((a, b) => byteOrder(b.displayAt, a.displayAt) || byteOrder(b.createdAt, a.createdAt));
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
  statuses?: UpdateStatus[] | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** Load only each incident's latest update (for lists). */
  latestUpdateOnly?: boolean | undefined;
};

/** Incidents newest first (by creation), with their timelines. */
export async function listIncidents(db: Db, filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
  return loadIncidentRecords(db, await listIncidentRows(db, filter), { latestUpdateOnly: filter.latestUpdateOnly });
}

/** The incident rows `listIncidents` lists, without their timelines. */
export async function listIncidentRows(db: Db, filter: IncidentFilter = {}): Promise<IncidentRow[]> {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(incidents.kind, filter.kind));
  if (filter.open) conditions.push(isNull(incidents.resolvedAt));
  if (filter.closed) conditions.push(isNotNull(incidents.resolvedAt));
  if (filter.statuses) conditions.push(inArray(incidents.status, filter.statuses));
  return selectRowsAsJson(db, incidents, {
    where: and(...conditions),
    orderBy: CREATED_NEWEST_FIRST,
    limit: filter.limit,
    offset: filter.offset,
  });
}

/**
 * Incidents and maintenances whose updates touched any of the given components, newest first, and how
 * many there are in all. With a limit, the cheaper of two plans, so the cost follows what the list shows
 * rather than the length of the history: for a component in many incidents, walk all incidents newest
 * first until `limit` touch it (about limit × all / touching probes); for one in few, collect its
 * incidents (about touching rows).
 */
export async function listIncidentsTouching(
  db: Db,
  componentIds: string[],
  options: { limit?: number; latestUpdateOnly?: boolean; openFirst?: boolean } = {},
): Promise<{ records: IncidentRecord[]; count: number }> {
  if (componentIds.length === 0) return { records: [], count: 0 };
  const [count, all] = await Promise.all([countIncidentsTouching(db, componentIds), incidentsUpperBound(db)]);
  const ids = sql.join(
    componentIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const walk = options.limit !== undefined && count * count > options.limit * all;
  // `+` keeps SQLite on the incident index: each probe reads one incident's few rows.
  const probe = sql`EXISTS (SELECT 1 FROM ${updateComponents} WHERE ${updateComponents.incidentId} = ${incidents.id} AND +${updateComponents.componentId} IN (${ids}))`;
  const touching = walk
    ? probe
    : inArray(
        incidents.id,
        db
          .selectDistinct({ id: updateComponents.incidentId })
          .from(updateComponents)
          .where(inArray(updateComponents.componentId, componentIds)),
      );
  const rows = await selectRowsAsJson(db, incidents, {
    where: touching,
    orderBy: CREATED_NEWEST_FIRST,
    limit: options.limit,
  });
  if (!options.openFirst) {
    return { records: await loadIncidentRecords(db, rows, { latestUpdateOnly: options.latestUpdateOnly }), count };
  }
  // Open ones (few: read from their own index, each probed) lead, so a long history never pushes what is
  // happening now off the list.
  const open = await selectRowsAsJson(db, incidents, {
    where: and(isNull(incidents.resolvedAt), probe),
    orderBy: CREATED_NEWEST_FIRST,
  });
  const listed = [...open, ...rows.filter((row) => row.resolvedAt !== null)].slice(
    0,
    Math.max(options.limit ?? Number.POSITIVE_INFINITY, open.length),
  );
  return { records: await loadIncidentRecords(db, listed, { latestUpdateOnly: options.latestUpdateOnly }), count };
}

/** At least the number of incidents, in one index step (`count(*)` would read them all). */
async function incidentsUpperBound(db: Db): Promise<number> {
  const [row] = await db.select({ max: sql<number | null>`max(${incidents}.rowid)` }).from(incidents);
  return Number(row?.max ?? 0);
}

/** How many incidents touched any of the given components (a covering index range; no table reads). */
export async function countIncidentsTouching(db: Db, componentIds: string[]): Promise<number> {
  if (componentIds.length === 0) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(distinct ${updateComponents.incidentId})` })
    .from(updateComponents)
    .where(inArray(updateComponents.componentId, componentIds));
  return Number(row?.count ?? 0);
}
