/**
 * One incident's own figures (docs/review.md, "The rules"), from its row, its updates (by display time), its
 * acknowledgements and the first alert behind it. Milliseconds here; the figures round to minutes.
 */
import type { UpdateStatus } from "../../db/enums.ts";
import { isClosingStatus } from "../model/statuses.ts";
import type { ReviewAck, ReviewIncident, ReviewUpdate } from "./load-review-data.ts";

/** A promise whose time came: kept (`lateMs` 0) or late. */
export type PromiseOutcome = {
  updateId: string | null;
  dueAt: string;
  answeredAt: string | null;
  lateMs: number;
};

export type IncidentMetrics = {
  incident: ReviewIncident;
  componentIds: string[];
  /** From the start (or the earlier first alert) to the first update's display time; null without an update. */
  firstPostMs: number | null;
  /** Started to resolved, for a resolved incident (not a maintenance). */
  resolveMs: number | null;
  promises: PromiseOutcome[];
  statusMs: Map<UpdateStatus, number>;
  /** A maintenance (not cancelled) past `scheduled_until`: by how much (0 when it ended in time); else null. */
  overrunMs: number | null;
};

type PromiseEvent = { at: number; updateId: string | null; isUpdate: boolean; promise: number | null };

export function incidentMetrics(
  incident: ReviewIncident,
  parts: { updates: ReviewUpdate[]; acks: ReviewAck[]; componentIds: string[]; firstAlertAt: string | undefined },
  now: number,
): IncidentMetrics {
  const updates = [...parts.updates].sort((a, b) => a.displayAt.localeCompare(b.displayAt) || a.id.localeCompare(b.id));
  const started = Date.parse(incident.startedAt);
  const alerted = parts.firstAlertAt ? Date.parse(parts.firstAlertAt) : Number.POSITIVE_INFINITY;
  const first = updates[0];
  return {
    incident,
    componentIds: parts.componentIds,
    firstPostMs: first ? Math.max(0, Date.parse(first.displayAt) - Math.min(started, alerted)) : null,
    resolveMs:
      incident.kind === "incident" && incident.resolvedAt !== null
        ? Math.max(0, Date.parse(incident.resolvedAt) - started)
        : null,
    promises: promiseOutcomes(updates, parts.acks, now),
    statusMs: timeUnderStatus(updates, now),
    overrunMs: overrun(incident, now),
  };
}

/**
 * Each promise stands until the next update or acknowledgement. An update at or before its time keeps it; one
 * after is late by the difference. An acknowledgement before its time replaces it (the acknowledgement's promise
 * counts instead); one after is late to the acknowledgement. A promise still standing after its time is late
 * until now; one whose time has not come is not counted.
 */
export function promiseOutcomes(updates: ReviewUpdate[], acks: ReviewAck[], now: number): PromiseOutcome[] {
  const events: PromiseEvent[] = [
    ...updates.map((u) => {
      const at = Date.parse(u.displayAt);
      const promise = isClosingStatus(u.status) || !u.nextUpdateInMinutes ? null : at + u.nextUpdateInMinutes * 60_000;
      return { at, updateId: u.id, isUpdate: true, promise };
    }),
    ...acks.map((a) => ({ at: Date.parse(a.at), updateId: null, isUpdate: false, promise: Date.parse(a.dueAt) })),
  ].sort((a, b) => a.at - b.at || Number(b.isUpdate) - Number(a.isUpdate));
  const outcomes: PromiseOutcome[] = [];
  let standing: { due: number; updateId: string | null } | null = null;
  for (const event of events) {
    if (standing && (event.isUpdate || event.at > standing.due)) {
      outcomes.push({
        updateId: standing.updateId,
        dueAt: new Date(standing.due).toISOString(),
        answeredAt: new Date(event.at).toISOString(),
        lateMs: Math.max(0, event.at - standing.due),
      });
    }
    standing = event.promise === null ? null : { due: event.promise, updateId: event.updateId };
  }
  if (standing && standing.due < now) {
    outcomes.push({
      updateId: standing.updateId,
      dueAt: new Date(standing.due).toISOString(),
      answeredAt: null,
      lateMs: now - standing.due,
    });
  }
  return outcomes;
}

/** Each open status from its update's display time to the next update's (the last until now); not `scheduled`. */
function timeUnderStatus(updates: ReviewUpdate[], now: number): Map<UpdateStatus, number> {
  const totals = new Map<UpdateStatus, number>();
  updates.forEach((update, i) => {
    if (isClosingStatus(update.status) || update.status === "scheduled") return;
    const from = Date.parse(update.displayAt);
    const next = updates[i + 1];
    const to = next ? Date.parse(next.displayAt) : now;
    if (to > from) totals.set(update.status, (totals.get(update.status) ?? 0) + (to - from));
  });
  return totals;
}

function overrun(incident: ReviewIncident, now: number): number | null {
  if (incident.kind !== "maintenance" || incident.cancelledAt !== null || incident.scheduledUntil === null) return null;
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return Math.max(0, end - Date.parse(incident.scheduledUntil));
}
