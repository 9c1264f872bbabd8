import { and, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents, notificationEvents } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { type Change, commitChanges } from "../changes/commit.ts";
import { loadIncidentState } from "../incidents/incident-state.ts";
import type { ComponentRow, IncidentRecord, IncidentRow } from "../model/rows.ts";
import { componentsOfEvent } from "./events-from-changes.ts";
import { notificationStatements } from "./queue-event.ts";

/** Minutes before its start a maintenance reminds subscribers, unless it says otherwise (`remind_minutes`). */
export const DEFAULT_REMIND_MINUTES = 60;

type Maintenance = Pick<IncidentRow, "id" | "kind" | "status" | "scheduledFor" | "remindMinutes">;

/** When a maintenance's reminder is due, or null when it has none (not scheduled, no window, `remind_minutes` 0). */
export function reminderDueAt(maintenance: Maintenance): Date | null {
  const minutes = maintenance.remindMinutes ?? DEFAULT_REMIND_MINUTES;
  if (maintenance.kind !== "maintenance" || maintenance.status !== "scheduled") return null;
  if (!maintenance.scheduledFor || minutes <= 0) return null;
  return new Date(new Date(maintenance.scheduledFor).getTime() - minutes * 60_000);
}

/**
 * The reminder's event id, derived from the maintenance and its start: planning it again (a repeated
 * tick, two runners) writes nothing new, and a rescheduled maintenance is reminded of its new start.
 */
export function reminderEventId(maintenance: Pick<IncidentRow, "id" | "scheduledFor">): string {
  return `r-${maintenance.id}-${new Date(maintenance.scheduledFor ?? 0).getTime().toString(36)}`;
}

/** The reminder of one maintenance when it is due at `now` (between its reminder time and its start), else null. */
export function planMaintenanceReminder(
  state: { db: Parameters<typeof notificationStatements>[0]; components: ComponentRow[] },
  maintenance: IncidentRecord,
  now: Date,
): Change | null {
  const dueAt = reminderDueAt(maintenance);
  if (!dueAt || !maintenance.scheduledFor) return null;
  if (now < dueAt || now >= new Date(maintenance.scheduledFor)) return null;
  const event = notificationStatements(state.db, {
    id: reminderEventId(maintenance),
    kind: "maintenance.reminder",
    at: now.toISOString(),
    incidentId: maintenance.id,
    componentIds: componentsOfEvent(maintenance, state.components),
  });
  return {
    statements: event.statements,
    jobs: event.jobs,
    audit: {
      action: "maintenance.remind",
      targetType: "incident",
      targetId: maintenance.id,
      details: { event_id: event.eventId, scheduled_for: maintenance.scheduledFor },
    },
  };
}

/**
 * Queues the reminders due now, in one batch, skipping the ones already queued. Returns the ids of the
 * maintenances reminded. (The scheduler's tick plans them with its other changes instead.)
 */
export async function queueDueReminders(ctx: ActionContext): Promise<string[]> {
  const now = ctx.clock.now();
  const pending = await maintenancesToRemind(ctx.db, now);
  if (pending.length === 0) return [];
  const state = await loadIncidentState(ctx.db, pending);
  const changes = pending.flatMap((id) => {
    const record = state.incidents.get(id);
    const change = record ? planMaintenanceReminder(state, record, now) : null;
    return change ? [change] : [];
  });
  await commitChanges(ctx, changes);
  return changes.map((c) => c.audit.targetId);
}

/**
 * The maintenances whose reminder is due at `now` and not yet queued, leaving out those whose window
 * subscribers were told of (scheduled or rescheduled) inside the reminder's lead time: that mail already
 * says when it starts, and a reminder seconds later would only repeat it.
 */
export async function maintenancesToRemind(db: Db, now: Date): Promise<string[]> {
  const upcoming = await db
    .select({
      id: incidents.id,
      kind: incidents.kind,
      status: incidents.status,
      scheduledFor: incidents.scheduledFor,
      remindMinutes: incidents.remindMinutes,
    })
    .from(incidents)
    .where(
      and(
        eq(incidents.kind, "maintenance"),
        eq(incidents.status, "scheduled"),
        gt(incidents.scheduledFor, now.toISOString()),
      ),
    );
  const due = upcoming.flatMap((m) => {
    const at = reminderDueAt(m);
    return at !== null && at <= now ? [{ ...m, dueAt: at }] : [];
  });
  if (due.length === 0) return [];
  const told = await db
    .select({
      id: notificationEvents.id,
      kind: notificationEvents.kind,
      incidentId: notificationEvents.incidentId,
      at: notificationEvents.createdAt,
    })
    .from(notificationEvents)
    .where(
      and(
        inArray(
          notificationEvents.incidentId,
          due.map((m) => m.id),
        ),
        inArray(notificationEvents.kind, [...ANNOUNCING_KINDS, "maintenance.reminder"]),
      ),
    );
  const done = new Set(told.map((e) => e.id));
  const announcedLate = (m: (typeof due)[number]) =>
    told.some((e) => e.incidentId === m.id && e.kind !== "maintenance.reminder" && new Date(e.at) >= m.dueAt);
  return due.filter((m) => !done.has(reminderEventId(m)) && !announcedLate(m)).map((m) => m.id);
}

/** The events that tell subscribers a maintenance's window. */
const ANNOUNCING_KINDS = ["maintenance.scheduled", "maintenance.rescheduled"] as const;
