import type { Statement } from "../changes/commit.ts";
import type { OutboxJob } from "../changes/outbox.ts";
import type { ComponentRow, IncidentRecord, UpdateRecord } from "../model/rows.ts";
import { isClosingStatus } from "../model/statuses.ts";
import type { NotificationKind } from "./events.ts";
import { notificationStatements } from "./queue-event.ts";

/** What an incident change tells subscribers, if anything: one event per change at most. */
export type IncidentChangeNotice = {
  /** The incident as it was (null: just opened or scheduled) and as it is after the change. */
  before: IncidentRecord | null;
  after: IncidentRecord;
  /** The update the change published, if any. */
  update: UpdateRecord | null;
  /** The maintenance window moved. */
  rescheduled: boolean;
  /** False when the commander asked not to notify (`deliver_notifications: false`). */
  deliver: boolean;
};

/**
 * The kind of event an incident or maintenance change is, or null when it tells no one: an update
 * posted with `deliver_notifications: false`, or an edit of the name or impact alone.
 */
export function kindOfIncidentChange(notice: IncidentChangeNotice): NotificationKind | null {
  const { before, after, update, rescheduled } = notice;
  if (!notice.deliver || (!update && !rescheduled)) return null;
  if (after.kind === "incident") {
    if (!update) return null;
    const wasClosed = before !== null && isClosingStatus(before.status);
    if (isClosingStatus(update.status) && !wasClosed) return "incident.resolved";
    if (wasClosed && !isClosingStatus(update.status)) return "incident.reopened";
    return before === null ? "incident.opened" : "incident.updated";
  }
  if (before === null) return update?.status === "in_progress" ? "maintenance.started" : "maintenance.scheduled";
  if (after.cancelledAt && !before.cancelledAt) return "maintenance.cancelled";
  if (rescheduled) return onlyExtends(before, after) ? "maintenance.extended" : "maintenance.rescheduled";
  if (!update) return null;
  if (update.status === "completed" && before.status !== "completed") return "maintenance.completed";
  if (before.status === "scheduled" && (update.status === "in_progress" || update.status === "verifying")) {
    return "maintenance.started";
  }
  return "maintenance.updated";
}

/**
 * A running maintenance whose end moved later, and only that: it takes longer than planned. A change to
 * a window that has not begun is a reschedule, however it moved.
 */
function onlyExtends(before: IncidentRecord, after: IncidentRecord): boolean {
  return (
    before.status !== "scheduled" &&
    before.scheduledFor === after.scheduledFor &&
    before.scheduledUntil !== null &&
    after.scheduledUntil !== null &&
    after.scheduledUntil > before.scheduledUntil
  );
}

/**
 * The components an event about this incident touches, for scope matching: every component its
 * updates touched (the one just published included) and the groups they belong to, so a subscriber
 * scoped to a group matches on its own id. Empty means page-wide.
 */
export function componentsOfEvent(
  incident: Pick<IncidentRecord, "componentIds">,
  components: ComponentRow[],
): string[] {
  const groupOf = new Map(components.map((c) => [c.id, c.groupId]));
  const ids = new Set<string>();
  for (const id of incident.componentIds) {
    ids.add(id);
    const group = groupOf.get(id);
    if (group) ids.add(group);
  }
  return [...ids].sort();
}

/**
 * Whether a subscriber's scope takes an event: a whole-page subscriber takes all; a scoped one takes a
 * page-wide event (no components) and any event naming one of its components or groups (the event's
 * ids include the groups of the components it touches, see `componentsOfEvent`).
 */
export function scopeTakesEvent(
  subscriber: { allComponents: boolean; componentIds: readonly string[] },
  eventComponentIds: readonly string[],
): boolean {
  if (subscriber.allComponents || eventComponentIds.length === 0) return true;
  const wanted = new Set(subscriber.componentIds);
  return eventComponentIds.some((id) => wanted.has(id));
}

/** The event row and notify job of an incident change, to put in the change's own batch; none when it tells no one. */
export function incidentChangeEvent(
  state: { db: Parameters<typeof notificationStatements>[0]; components: ComponentRow[] },
  notice: IncidentChangeNotice,
  now: Date,
): { statements: Statement[]; jobs: OutboxJob[] } {
  const kind = kindOfIncidentChange(notice);
  if (!kind) return { statements: [], jobs: [] };
  return notificationStatements(state.db, {
    kind,
    at: now.toISOString(),
    incidentId: notice.after.id,
    updateId: notice.update?.id ?? null,
    componentIds: componentsOfEvent(notice.after, state.components),
  });
}

/** The event of a postmortem's first publication (editing a published one tells no one again). */
export function postmortemEvent(
  state: { db: Parameters<typeof notificationStatements>[0]; components: ComponentRow[] },
  before: IncidentRecord,
  after: IncidentRecord,
  now: Date,
): { statements: Statement[]; jobs: OutboxJob[] } {
  if (before.postmortemPublishedAt !== null || after.postmortemPublishedAt === null)
    return { statements: [], jobs: [] };
  return notificationStatements(state.db, {
    kind: "postmortem.published",
    at: now.toISOString(),
    incidentId: after.id,
    componentIds: componentsOfEvent(after, state.components),
  });
}
