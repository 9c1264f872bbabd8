import { type FieldError, HeraldError, invalid } from "../actions/errors.ts";
import type { IncidentRecord } from "../model/rows.ts";
import type { MaintenanceStatus } from "../model/statuses.ts";
import type { MaintenanceBodies, MaintenanceBody, MaintenanceStage } from "../scheduler/maintenance-bodies.ts";
import { findIncident, type IncidentState } from "./incident-state.ts";

/** The maintenance `id` when it is in one of `statuses`; 409 naming what it is otherwise, 422 for an incident. */
export function findMaintenanceIn(
  state: IncidentState,
  id: string,
  statuses: readonly MaintenanceStatus[],
  doing: string,
): IncidentRecord {
  const record = findIncident(state, id);
  if (record.kind !== "maintenance") throw invalid(`Only a maintenance can be ${doing}; "${id}" is an incident.`);
  if (record.cancelledAt || !statuses.some((s) => s === record.status)) {
    const is = record.cancelledAt ? "cancelled" : record.status.replace("_", " ");
    throw new HeraldError(
      "conflict",
      `This maintenance is ${is}; it can be ${doing} only while ${statuses.join(" or ")}.`,
    );
  }
  return record;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365 * DAY_MS;

/** Which ends of the window the request sets (a running maintenance keeps the start it had, however long ago). */
export type WindowChange = { now: Date; newStart: boolean; newEnd: boolean };

/**
 * Refuses (422 naming the field) a window no one plans: a new start more than a day in the past or more
 * than a year ahead, a new end already past (the scheduler would start and complete it at once, telling
 * subscribers of work that is over: a past maintenance is backfilled), or an end more than a year after
 * the start.
 */
export function checkWindowBounds(
  window: { scheduledFor: string; scheduledUntil: string },
  { now, newStart, newEnd }: WindowChange,
): void {
  const start = Date.parse(window.scheduledFor);
  const errors: FieldError[] = [];
  if (newStart && start < now.getTime() - DAY_MS)
    errors.push({
      path: "scheduled_for",
      message: `must be no earlier than a day ago (${isoAt(now.getTime() - DAY_MS)})`,
    });
  else if (newStart && start > now.getTime() + YEAR_MS)
    errors.push({
      path: "scheduled_for",
      message: `must be within a year from now (by ${isoAt(now.getTime() + YEAR_MS)})`,
    });
  if (newEnd && Date.parse(window.scheduledUntil) <= now.getTime())
    errors.push({
      path: "scheduled_until",
      message: `must be in the future (after ${now.toISOString()}); a maintenance that is over is backfilled`,
    });
  else if (Date.parse(window.scheduledUntil) > start + YEAR_MS)
    errors.push({
      path: "scheduled_until",
      message: `must be within a year of the start (by ${isoAt(start + YEAR_MS)})`,
    });
  if (errors.length > 0)
    throw invalid(
      `A maintenance window is out of bounds: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}.`,
      errors,
    );
}

function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/** The update text of a reschedule, extension or cancellation: the commander's own, else the stage's template. */
export function noticeText(
  bodies: MaintenanceBodies,
  stage: MaintenanceStage,
  given: string | undefined,
  maintenance: IncidentRecord,
): MaintenanceBody {
  const own = given?.trim();
  return own ? { body: own, nextUpdateInMinutes: null } : bodies(stage, maintenance);
}
