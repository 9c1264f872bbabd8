import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import type { ScheduledActionName } from "../../db/enums.ts";
import { incidents, scheduledActions } from "../../db/schema.ts";
import { invalid, notFound } from "../actions/errors.ts";
import type { Change, Statement } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { componentStatusSchema } from "../components/schemas.ts";
import type { UpdateRow } from "../model/rows.ts";
import { type ComponentStatus, INCIDENT_STATUSES, type IncidentKind, MAINTENANCE_STATUSES } from "../model/statuses.ts";
import {
  dueScheduledAction,
  dueScheduledActions,
  readScheduledActions,
  type ScheduledActionRow,
  takeScheduledAction,
} from "../scheduler/scheduled-actions.ts";
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

const PUBLISH: ScheduledActionName = "update.publish";

/** What a timed update stores as its deferred run's input: the update as written and checked. */
type TimedUpdateInput = Pick<
  UpdateRow,
  "status" | "bodyMd" | "bodyHtml" | "deliverNotifications" | "nextUpdateInMinutes"
> & { components: Record<string, ComponentStatus> };

/** A timed update as the written update it will be (same id), shown and taking effect at its run time. */
export function timedUpdateRow(run: ScheduledActionRow): UpdateRow {
  const input = run.input as TimedUpdateInput;
  return {
    id: run.id,
    incidentId: run.incidentId ?? "",
    status: input.status,
    bodyMd: input.bodyMd,
    bodyHtml: input.bodyHtml,
    displayAt: run.runAt,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    deliverNotifications: input.deliverNotifications,
    createdBy: run.createdBy,
    publishAt: run.runAt,
    publishedAt: null,
    nextUpdateInMinutes: input.nextUpdateInMinutes,
    scheduledComponents: input.components,
  };
}

/** The deferred run that stores a written timed update (its id becomes the update's id when published). */
export function timedUpdateRun(row: UpdateRow): ScheduledActionRow {
  const input: TimedUpdateInput = {
    status: row.status,
    bodyMd: row.bodyMd,
    bodyHtml: row.bodyHtml,
    components: row.scheduledComponents ?? {},
    deliverNotifications: row.deliverNotifications,
    nextUpdateInMinutes: row.nextUpdateInMinutes,
  };
  return {
    id: row.id,
    action: PUBLISH,
    input,
    incidentId: row.incidentId,
    runAt: row.publishAt ?? row.createdAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdBy,
    failure: null,
  };
}

/** Stores a written timed update. */
export function insertTimedUpdate(db: Db, row: UpdateRow): Statement {
  return db.insert(scheduledActions).values(timedUpdateRun(row));
}

/** Replaces a stored timed update by its edited form, failing the batch when it was published or cancelled. */
export function replaceTimedUpdate(db: Db, row: UpdateRow): Statement[] {
  const { id: _, ...fields } = timedUpdateRun(row);
  return [
    db
      .update(scheduledActions)
      .set(fields)
      .where(and(eq(scheduledActions.id, row.id), eq(scheduledActions.action, PUBLISH))),
    failUnlessChanged(db),
  ];
}

/** Removes a waiting timed update (published, cancelled or discarded), failing the batch when it is gone. */
export function takeTimedUpdate(db: Db, updateId: string): Statement[] {
  return takeScheduledAction(db, PUBLISH, updateId);
}

/** Timed updates not yet published (of one incident, or all), the soonest first. */
export async function readScheduledUpdates(db: Db, incidentId?: string): Promise<ScheduledUpdateView[]> {
  const runs = await readScheduledActions(
    db,
    PUBLISH,
    incidentId ? eq(scheduledActions.incidentId, incidentId) : undefined,
  );
  return runs.map((run) => scheduledUpdateView(timedUpdateRow(run)));
}

/** A timed update not yet published, with its incident's kind; 404 when it is published, cancelled or unknown. */
export async function getScheduledUpdate(db: Db, updateId: string): Promise<{ row: UpdateRow; kind: IncidentKind }> {
  const [found] = await db
    .select({ run: scheduledActions, kind: incidents.kind })
    .from(scheduledActions)
    .innerJoin(incidents, eq(incidents.id, scheduledActions.incidentId))
    .where(and(eq(scheduledActions.id, updateId), eq(scheduledActions.action, PUBLISH)));
  if (!found) throw notFound(`There is no scheduled update with id "${updateId}" (published, cancelled or unknown).`);
  return { row: timedUpdateRow(found.run), kind: found.kind };
}

/** The timed updates due at `now`, the soonest first. */
export async function dueUpdates(db: Db, now: Date): Promise<UpdateRow[]> {
  return (await dueScheduledActions(db, PUBLISH, now)).map(timedUpdateRow);
}

/** One timed update, while it is still waiting and due at `now`; null once published, cancelled or moved later. */
export async function dueUpdate(db: Db, updateId: string, now: Date): Promise<UpdateRow | null> {
  const run = await dueScheduledAction(db, PUBLISH, updateId, now);
  return run && timedUpdateRow(run);
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
    statements: takeTimedUpdate(db, row.id),
    audit: {
      action: "update.discard",
      targetType: "incident_update",
      targetId: row.id,
      details: { reason, discarded: scheduledUpdateView(row) },
    },
    jobs: [],
  };
}
