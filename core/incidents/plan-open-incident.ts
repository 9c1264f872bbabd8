import type { z } from "zod";
import { invalid } from "../actions/errors.ts";
import { newId } from "../model/ids.ts";
import { defaultCadenceFor, NO_SETTINGS, type SchedulerSettings } from "../scheduler/settings.ts";
import type { IncidentState } from "./incident-state.ts";
import { checkWindowBounds, type WindowChange } from "./maintenance-window.ts";
import { type PlannedIncidentChange, planIncidentChange } from "./plan-incident.ts";
import type { openIncidentInput } from "./schemas.ts";
import { updateRequestFrom } from "./update-rules.ts";

/** Plans opening an incident, or scheduling a maintenance, from a checked request: a pure function of `state`. */
export function planOpenIncident(
  state: IncidentState,
  input: z.output<typeof openIncidentInput>,
  now: Date,
  by: string,
  settings: SchedulerSettings = NO_SETTINGS,
  commanderId: string | null = null,
): PlannedIncidentChange {
  const kind = input.kind ?? "incident";
  if (kind === "incident" && (input.auto_start !== undefined || input.auto_complete !== undefined)) {
    throw invalid('Only a maintenance starts and completes by itself; send kind "maintenance".', [
      { path: input.auto_start !== undefined ? "auto_start" : "auto_complete", message: "only for kind maintenance" },
    ]);
  }
  const nowIso = now.toISOString();
  const window = maintenanceWindow(kind, input.scheduled_for, input.scheduled_until, {
    now,
    newStart: true,
    newEnd: true,
  });
  const displayAt = input.display_at ? new Date(input.display_at).toISOString() : nowIso;
  return planIncidentChange(
    state,
    null,
    {
      create: {
        id: newId(),
        kind,
        name: input.name,
        impactOverride: null,
        createdAt: nowIso,
        startedAt: window?.scheduledFor ?? displayAt,
        scheduledFor: window?.scheduledFor ?? null,
        scheduledUntil: window?.scheduledUntil ?? null,
        postmortemMd: null,
        postmortemHtml: null,
        postmortemPublishedAt: null,
        commanderId,
      },
      impactOverride: input.impact,
      remindMinutes: remindMinutes(kind, input.remind_minutes),
      autoStart: input.auto_start,
      autoComplete: input.auto_complete,
      update: updateRequestFrom(
        input,
        kind === "incident" ? "investigating" : "scheduled",
        by,
        defaultCadenceFor(kind, settings),
      ),
      audit: { action: kind === "incident" ? "incident.open" : "maintenance.schedule", details: input },
    },
    now,
  );
}

/** The reminder lead time as given; only a maintenance has one. */
export function remindMinutes(
  kind: "incident" | "maintenance",
  given: number | null | undefined,
): number | null | undefined {
  if (given !== undefined && given !== null && kind === "incident") {
    throw invalid('Only a maintenance has a reminder; send kind "maintenance".', [
      { path: "remind_minutes", message: "only for kind maintenance" },
    ]);
  }
  return given;
}

export function maintenanceWindow(
  kind: "incident" | "maintenance",
  scheduledFor: string | undefined,
  scheduledUntil: string | undefined,
  bounds: WindowChange,
): { scheduledFor: string; scheduledUntil: string } | null {
  if (kind === "incident") {
    if (scheduledFor || scheduledUntil) {
      throw invalid('Only a maintenance has a schedule; send kind "maintenance".', [
        { path: "scheduled_for", message: "only for kind maintenance" },
      ]);
    }
    return null;
  }
  const missing = [
    ...(scheduledFor ? [] : [{ path: "scheduled_for", message: "required for a maintenance" }]),
    ...(scheduledUntil ? [] : [{ path: "scheduled_until", message: "required for a maintenance" }]),
  ];
  if (!scheduledFor || !scheduledUntil)
    throw invalid("A maintenance needs scheduled_for and scheduled_until.", missing);
  const from = new Date(scheduledFor);
  const until = new Date(scheduledUntil);
  if (until <= from) {
    throw invalid("A maintenance must end after it starts.", [
      { path: "scheduled_until", message: "must be after scheduled_for" },
    ]);
  }
  const window = { scheduledFor: from.toISOString(), scheduledUntil: until.toISOString() };
  checkWindowBounds(window, bounds);
  return window;
}
