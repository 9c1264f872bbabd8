import { expectIncidentUnchanged } from "../changes/guard.ts";
import type { IncidentState } from "../incidents/incident-state.ts";
import { type PlannedIncident, planIncidentChange } from "../incidents/plan-incident.ts";
import type { IncidentRecord } from "../model/rows.ts";
import type { MaintenanceBodies } from "./maintenance-bodies.ts";

/** Who the scheduler's updates are written by. */
export const SCHEDULER = "scheduler";

/** Whether the scheduler starts this maintenance at `now`. */
export function startsAt(m: IncidentRecord, now: Date): boolean {
  return (
    m.kind === "maintenance" &&
    m.status === "scheduled" &&
    m.autoStart &&
    m.scheduledFor !== null &&
    new Date(m.scheduledFor) <= now
  );
}

/** Whether the scheduler completes this maintenance at `now`. */
export function completesAt(m: IncidentRecord, now: Date): boolean {
  return (
    m.kind === "maintenance" &&
    (m.status === "in_progress" || m.status === "verifying") &&
    m.autoComplete &&
    m.scheduledUntil !== null &&
    new Date(m.scheduledUntil) <= now
  );
}

/**
 * Starts a maintenance: an "in progress" update, which sets each component it announced to the status
 * it announced (under maintenance), or keeps what another open incident holds it at when that is worse.
 */
export function planStartMaintenance(
  state: IncidentState,
  m: IncidentRecord,
  bodies: MaintenanceBodies,
  now: Date,
): PlannedIncident {
  return planTransition(state, m, "started", bodies, now);
}

/** Completes a maintenance: its components return to operational unless another open incident holds them. */
export function planCompleteMaintenance(
  state: IncidentState,
  m: IncidentRecord,
  bodies: MaintenanceBodies,
  now: Date,
): PlannedIncident {
  return planTransition(state, m, "completed", bodies, now);
}

const TRANSITIONS = {
  started: { status: "in_progress", action: "maintenance.start" },
  completed: { status: "completed", action: "maintenance.complete" },
} as const;

/** The scheduler's update moving a maintenance on; it commits only if the maintenance is still as loaded. */
function planTransition(
  state: IncidentState,
  m: IncidentRecord,
  stage: keyof typeof TRANSITIONS,
  bodies: MaintenanceBodies,
  now: Date,
): PlannedIncident {
  const { status, action } = TRANSITIONS[stage];
  const { body, nextUpdateInMinutes } = bodies(stage, m);
  const planned = planIncidentChange(
    state,
    m,
    {
      update: { status, body, nextUpdateInMinutes, by: SCHEDULER },
      audit: { action, details: { scheduled_for: m.scheduledFor, scheduled_until: m.scheduledUntil } },
    },
    now,
  );
  // Another tick or a person may have moved it since it was loaded.
  return { ...planned, statements: [...expectIncidentUnchanged(state.db, m), ...planned.statements] };
}
