import { eq } from "drizzle-orm";
import { incidents } from "../../db/schema.ts";
import { historyMonth, type Planned, type Statement } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { pageOf, withComponents } from "../components/component-state.ts";
import type { IncidentRecord, IncidentRow, UpdateRow } from "../model/rows.ts";
import { computeImpact, type Impact, isClosingStatus } from "../model/statuses.ts";
import type { NotificationKind } from "../notifications/events.ts";
import { incidentChangeEvent, kindOfIncidentChange } from "../notifications/events-from-changes.ts";
import { type AdminIncident, adminIncident } from "./admin-incident.ts";
import type { IncidentState } from "./incident-state.ts";
import { affectedBy, byComponentName, newestFirst } from "./load-incidents.ts";
import { assertTransition } from "./transition.ts";
import {
  applyUpdate,
  insertUpdate,
  lastStatusSet,
  publishStatements,
  type UpdateRequest,
  type WrittenUpdate,
  writeUpdate,
} from "./update-rules.ts";

export type NewIncident = Omit<
  IncidentRow,
  | "status"
  | "impact"
  | "monitoringAt"
  | "resolvedAt"
  | "updatedAt"
  | "sequence"
  | "nextUpdateDueAt"
  | "remindMinutes"
  | "autoStart"
  | "autoComplete"
  | "cancelledAt"
  | "commanderId"
> & { commanderId?: string | null | undefined };

export type IncidentChange = {
  name?: string | undefined;
  impactOverride?: Impact | null | undefined;
  scheduledFor?: string | undefined;
  scheduledUntil?: string | undefined;
  update?: UpdateRequest | undefined;
  /** A maintenance's reminder lead time in minutes (0: none); null returns to the default. */
  remindMinutes?: number | null | undefined;
  /** A maintenance's automation: start at `scheduled_for`, complete at `scheduled_until` (default true). */
  autoStart?: boolean | undefined;
  autoComplete?: boolean | undefined;
  /** Cancelling a maintenance: it is completed and the calendar marks it cancelled. */
  cancelledAt?: string | undefined;
  /** A timed update written earlier, applied now (in place of `update`). */
  timed?: WrittenUpdate | undefined;
  /** Reopening a closed incident: the one way an update may follow its resolution. */
  reopens?: boolean | undefined;
  /** False: tell no subscriber about this change (an update's `deliver_notifications`, or a reschedule's). */
  deliverNotifications?: boolean | undefined;
  audit: { action: string; details: Record<string, unknown> };
};

export type PlannedIncident = Planned<AdminIncident, IncidentState> & { record: IncidentRecord };

/** A planned incident change with what it tells subscribers: the event's kind (null: no one) and its update. */
export type PlannedIncidentChange = PlannedIncident & {
  notice: { kind: NotificationKind | null; updateId: string | null };
};

/**
 * Plans an incident change from loaded state, without reading: metadata, an optional update that takes
 * effect now with its component changes, the recomputed status, impact and lifecycle times, the audit
 * row and the render job. `current` is the incident as loaded, or null with `create` for a new one.
 * The result carries the state after it, so several changes can be planned and committed in one batch.
 */
export function planIncidentChange(
  state: IncidentState,
  current: IncidentRecord | null,
  change: IncidentChange & { create?: NewIncident | undefined },
  now: Date,
): PlannedIncidentChange {
  const base = current ?? change.create;
  if (!base) throw new Error("planIncidentChange needs an incident or one to create");
  const { id, kind } = base;
  const nowIso = now.toISOString();
  if (current && change.update && !change.reopens) assertTransition(current, change.update.status);
  const written =
    change.timed ?? (change.update ? writeUpdate(state, { id, kind, record: current }, change.update, now) : null);
  const applied = written ? applyUpdate(state, current, written, now) : null;

  const status = written?.row.status ?? current?.status;
  if (!status) throw new Error("planIncidentChange needs an update to create an incident");
  const impactOverride =
    change.impactOverride !== undefined ? change.impactOverride : (current?.impactOverride ?? null);
  const statusesSet = [
    ...(current?.updates.flatMap((u) => u.componentChanges.map((c) => c.newStatus)) ?? []),
    ...(applied?.statusesSet ?? []),
  ];
  const eventAt = applied?.update.displayAt ?? nowIso;
  const rescheduled = current !== null && (reschedules(current, change) || change.cancelledAt !== undefined);
  const startedAt = kind === "maintenance" && change.scheduledFor ? change.scheduledFor : base.startedAt;
  const fields = {
    name: change.name ?? base.name,
    status,
    impact: computeImpact(kind, statusesSet, impactOverride),
    impactOverride,
    startedAt,
    scheduledFor: change.scheduledFor ?? base.scheduledFor,
    scheduledUntil: change.scheduledUntil ?? base.scheduledUntil,
    sequence: (current?.sequence ?? 0) + (rescheduled ? 1 : 0),
    remindMinutes: change.remindMinutes !== undefined ? change.remindMinutes : (current?.remindMinutes ?? null),
    monitoringAt: current?.monitoringAt ?? (status === "monitoring" ? eventAt : null),
    // Never before the start: a backdated resolution, or a maintenance completed before its window.
    resolvedAt: isClosingStatus(status) ? latest(current?.resolvedAt ?? eventAt, startedAt) : null,
    nextUpdateDueAt: nextUpdateDue(current, written?.row ?? null, eventAt),
    autoStart: change.autoStart ?? current?.autoStart ?? true,
    autoComplete: change.autoComplete ?? current?.autoComplete ?? true,
    cancelledAt: change.cancelledAt ?? current?.cancelledAt ?? null,
    commanderId: current ? current.commanderId : (change.create?.commanderId ?? null),
    updatedAt: nowIso,
  };
  const statements: Statement[] = current
    ? [state.db.update(incidents).set(fields).where(eq(incidents.id, id))]
    : [state.db.insert(incidents).values({ ...base, ...fields })];
  if (applied) {
    statements.push(
      ...(change.timed ? publishStatements(state, applied.update) : [insertUpdate(state, applied.update)]),
      ...applied.statements,
    );
  }

  const updates = newestFirst([...(applied ? [applied.update] : []), ...(current?.updates ?? [])]);
  const record: IncidentRecord = {
    ...base,
    ...fields,
    updates,
    ...affectedBy(updates.flatMap((u) => u.componentChanges).sort(byComponentName)),
  };
  const next = withIncident(withComponents(state, applied?.changed ?? []), record);
  // Told in the change's own batch: no event without the change, no change without its event.
  const notice = {
    before: current,
    after: record,
    update: applied?.update ?? null,
    rescheduled,
    deliver: change.deliverNotifications ?? applied?.update.deliverNotifications ?? true,
  };
  const event = incidentChangeEvent(state, notice, now);
  statements.push(...event.statements);
  return {
    statements,
    audit: { action: change.audit.action, targetType: "incident", targetId: id, details: change.audit.details },
    jobs: event.jobs,
    touched: {
      incidents: [id],
      // Every component its timeline names lists it; a component whose status moved shows that too.
      components: withGroups(state.components, [...record.componentIds, ...(applied?.changed.map((c) => c.id) ?? [])]),
      months: [...new Set([historyMonth(base.startedAt), historyMonth(fields.startedAt)])],
    },
    view: adminIncident(record, next.components, pageOf(next), now),
    record,
    notice: { kind: kindOfIncidentChange(notice), updateId: notice.update?.id ?? null },
    state: next,
  };
}

/** The state with an incident as planned: its record, and what it now holds its components at. */
export function withIncident(state: IncidentState, record: IncidentRecord): IncidentState {
  const incidents = new Map(state.incidents).set(record.id, record);
  const holds = new Map(state.holds);
  if (record.resolvedAt === null && record.status !== "scheduled") holds.set(record.id, lastStatusSet(record));
  else holds.delete(record.id);
  return { ...state, incidents, holds };
}

function latest(a: string, b: string): string {
  return new Date(a).getTime() >= new Date(b).getTime() ? a : b;
}

/** A promised next update lasts until the next update; closing an incident ends it. */
function nextUpdateDue(current: IncidentRow | null, update: UpdateRow | null, eventAt: string): string | null {
  if (!update) return current?.nextUpdateDueAt ?? null;
  if (isClosingStatus(update.status) || !update.nextUpdateInMinutes) return null;
  return new Date(new Date(eventAt).getTime() + update.nextUpdateInMinutes * 60_000).toISOString();
}

function reschedules(current: IncidentRow, change: IncidentChange): boolean {
  return (
    (change.scheduledFor !== undefined && change.scheduledFor !== current.scheduledFor) ||
    (change.scheduledUntil !== undefined && change.scheduledUntil !== current.scheduledUntil)
  );
}
