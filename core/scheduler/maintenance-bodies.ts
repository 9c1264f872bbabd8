import bodies from "../../templates/maintenance-bodies.json" with { type: "json" };

export type MaintenanceStage = keyof typeof bodies;

/**
 * The body of an update Herald posts about a maintenance on its own (started, completed) or for a
 * reschedule, extension or cancellation given without text. The one place these bodies come from: the
 * stock "maintenance" templates replace this once they exist.
 */
export function maintenanceUpdateBody(
  stage: MaintenanceStage,
  maintenance: { scheduledFor: string | null; scheduledUntil: string | null },
): string {
  return bodies[stage]
    .replace("{{scheduled_for}}", utc(maintenance.scheduledFor))
    .replace("{{scheduled_until}}", utc(maintenance.scheduledUntil));
}

/** `2026-11-26 22:00 UTC` */
function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "";
}
