/**
 * One incident's own figures (docs/review.md, "The rules"), from its row, its update figures (SQL), its
 * acknowledgements and the first alert behind it. Milliseconds here; the figures round to minutes.
 */
import type { UpdateStatus } from "../../db/enums.ts";
import { isClosingStatus } from "../model/statuses.ts";
import type { ReviewAck, ReviewIncident, ReviewUpdate } from "./load-review-data.ts";
import type { PromiseOutcome, UpdateFigures } from "./update-figures.ts";

export type { PromiseOutcome } from "./update-figures.ts";

export type IncidentMetrics = {
  incident: ReviewIncident;
  componentIds: string[];
  /** From the start (or the earlier first alert) to the first update's display time; null without an update. */
  firstPostMs: number | null;
  /** Started to resolved, for a resolved incident (not a maintenance). */
  resolveMs: number | null;
  /** How many promises fell due, and the late ones. */
  promises: { due: number; late: PromiseOutcome[] };
  statusMs: ReadonlyMap<UpdateStatus, number>;
  /** A maintenance (not cancelled) past `scheduled_until`: by how much (0 when it ended in time); else null. */
  overrunMs: number | null;
};

type PromiseEvent = { at: number; updateId: string | null; isUpdate: boolean; promise: number | null };

/**
 * `figures` are the incident's update figures (SQL, update-figures.ts); an incident with acknowledgements also
 * passes its updates, for promises the acknowledgements moved.
 */
export function incidentMetrics(
  incident: ReviewIncident,
  parts: {
    figures: UpdateFigures | undefined;
    acknowledged: { updates: ReviewUpdate[]; acks: ReviewAck[] } | undefined;
    componentIds: string[];
    firstAlertAt: string | undefined;
  },
  now: number,
): IncidentMetrics {
  const started = Date.parse(incident.startedAt);
  const alerted = parts.firstAlertAt ? Date.parse(parts.firstAlertAt) : Number.POSITIVE_INFINITY;
  const figures = parts.figures;
  const acknowledged = parts.acknowledged;
  let promises = figures ? { due: figures.due, late: figures.late } : { due: 0, late: [] };
  if (acknowledged) {
    const updates = [...acknowledged.updates].sort(
      (a, b) => a.displayAt.localeCompare(b.displayAt) || a.id.localeCompare(b.id),
    );
    const outcomes = promiseOutcomes(updates, acknowledged.acks, now);
    promises = { due: outcomes.length, late: outcomes.filter((o) => o.lateMs > 0) };
  }
  return {
    incident,
    componentIds: parts.componentIds,
    firstPostMs: figures ? Math.max(0, figures.firstAt - Math.min(started, alerted)) : null,
    resolveMs:
      incident.kind === "incident" && incident.resolvedAt !== null
        ? Math.max(0, Date.parse(incident.resolvedAt) - started)
        : null,
    promises,
    statusMs: figures?.statusMs ?? new Map(),
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

function overrun(incident: ReviewIncident, now: number): number | null {
  if (incident.kind !== "maintenance" || incident.cancelledAt !== null || incident.scheduledUntil === null) return null;
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return Math.max(0, end - Date.parse(incident.scheduledUntil));
}
