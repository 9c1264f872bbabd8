import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { incidents, incidentUpdates } from "../../db/schema.ts";
import { invalid, notFound } from "../actions/errors.ts";
import type { Change } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { componentStatusSchema } from "../components/schemas.ts";
import type { UpdateRow } from "../model/rows.ts";
import { type ComponentStatus, INCIDENT_STATUSES, type IncidentKind, MAINTENANCE_STATUSES } from "../model/statuses.ts";
import type { WrittenUpdate } from "./update-rules.ts";

/** A timed update as the admin API shows it, before it is published. */
export const scheduledUpdateSchema = z.strictObject({
  id: z.string(),
  incident_id: z.string(),
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  body: z.string(),
  body_html: z.string(),
  /** Component id → the status it will be given. */
  components: z.record(z.string(), componentStatusSchema),
  deliver_notifications: z.boolean(),
  next_update_in_minutes: z.number().nullable(),
  publish_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string().nullable(),
});

export type ScheduledUpdateView = z.output<typeof scheduledUpdateSchema>;

export function scheduledUpdateView(row: UpdateRow): ScheduledUpdateView {
  return {
    id: row.id,
    incident_id: row.incidentId,
    status: row.status,
    body: row.bodyMd,
    body_html: row.bodyHtml,
    components: row.scheduledComponents ?? {},
    deliver_notifications: row.deliverNotifications,
    next_update_in_minutes: row.nextUpdateInMinutes,
    publish_at: row.publishAt ?? row.createdAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    created_by: row.createdBy,
  };
}

/** The 409 when the scheduler (or someone) acted on a timed update first. */
export const SCHEDULED_UPDATE_GONE = "The update was published or cancelled meanwhile; nothing was changed.";

const unpublished = isNull(incidentUpdates.publishedAt);

/**
 * Timed updates due at one instant run in the order they were written (as the page orders updates shown
 * at one instant): an update scheduled after another for the same time is the later one.
 */
const SOONEST_FIRST = [asc(incidentUpdates.publishAt), asc(incidentUpdates.createdAt), sql`${incidentUpdates}.rowid`];

/** Timed updates not yet published (of one incident, or all), the soonest first. */
export async function readScheduledUpdates(db: Db, incidentId?: string): Promise<ScheduledUpdateView[]> {
  const rows = await db
    .select()
    .from(incidentUpdates)
    .where(incidentId ? and(unpublished, eq(incidentUpdates.incidentId, incidentId)) : unpublished)
    .orderBy(...SOONEST_FIRST);
  return rows.map(scheduledUpdateView);
}

/** A timed update not yet published, with its incident's kind; 404 when it is published, cancelled or unknown. */
export async function getScheduledUpdate(db: Db, updateId: string): Promise<{ row: UpdateRow; kind: IncidentKind }> {
  const [found] = await db
    .select({ row: incidentUpdates, kind: incidents.kind })
    .from(incidentUpdates)
    .innerJoin(incidents, eq(incidents.id, incidentUpdates.incidentId))
    .where(and(eq(incidentUpdates.id, updateId), unpublished));
  if (!found) throw notFound(`There is no scheduled update with id "${updateId}" (published, cancelled or unknown).`);
  return found;
}

/** The timed updates due at `now`, the soonest first (`incident_updates_pending_idx`). */
export async function dueUpdates(db: Db, now: Date): Promise<UpdateRow[]> {
  return db
    .select()
    .from(incidentUpdates)
    .where(and(unpublished, lte(incidentUpdates.publishAt, now.toISOString())))
    .orderBy(...SOONEST_FIRST);
}

/** One timed update, while it is still waiting and due at `now`; null once published, cancelled or moved later. */
export async function dueUpdate(db: Db, updateId: string, now: Date): Promise<UpdateRow | null> {
  const [row] = await db
    .select()
    .from(incidentUpdates)
    .where(and(eq(incidentUpdates.id, updateId), unpublished, lte(incidentUpdates.publishAt, now.toISOString())));
  return row ?? null;
}

/** A stored timed update as written, ready for `applyUpdate`: shown at its publish time, as if posted then. */
export function writtenFromStored(row: UpdateRow, kind: IncidentKind, now: Date): WrittenUpdate {
  const at = row.publishAt ?? now.toISOString();
  return {
    row: { ...row, displayAt: at, updatedAt: now.toISOString() },
    kind,
    components: new Map(Object.entries(row.scheduledComponents ?? {}) as [string, ComponentStatus][]),
  };
}

/** A publish time must be in the future; `display_at` and `impact` do not go with one. */
export function assertSchedulable(
  input: { publish_at?: string | undefined; display_at?: string | undefined; impact?: unknown },
  now: Date,
): void {
  if (input.display_at !== undefined) {
    throw invalid("A timed update is shown at its publish_at; leave out display_at.", [
      { path: "display_at", message: "not with publish_at" },
    ]);
  }
  if (input.impact !== undefined) {
    throw invalid("A timed update cannot change the impact; change it when it is published.", [
      { path: "impact", message: "not with publish_at" },
    ]);
  }
  if (input.publish_at !== undefined && new Date(input.publish_at).getTime() <= now.getTime()) {
    throw invalid("publish_at must be in the future.", [{ path: "publish_at", message: "must be in the future" }]);
  }
}

/**
 * A due timed update its incident can no longer take (resolved or completed meanwhile, by hand): it is
 * deleted, not published, and the audit row keeps what it said and why, so no one is told twice.
 */
export function planDiscardTimedUpdate(db: Db, row: UpdateRow, reason: string): Change {
  return {
    statements: [
      db.delete(incidentUpdates).where(and(eq(incidentUpdates.id, row.id), unpublished)),
      failUnlessChanged(db),
    ],
    audit: {
      action: "update.discard",
      targetType: "incident_update",
      targetId: row.id,
      details: { reason, discarded: scheduledUpdateView(row) },
    },
    jobs: [],
  };
}
