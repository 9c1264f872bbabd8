import { z } from "zod";
import type { ComponentRow, IncidentRecord, PageRow } from "../model/rows.ts";
import { IMPACTS, type Impact, INCIDENT_KINDS, type IncidentKind, UPDATE_STATUSES } from "../model/statuses.ts";
import { type V2Incident, type V2IncidentUpdate, v2Incident } from "../public/statuspage.ts";
import { incidentFields, time, v2IncidentUpdate } from "../public/statuspage-schemas.ts";
import { isUpdateOverdue } from "../scheduler/overdue-reminders.ts";

/** The admin API's incident: the Statuspage shape plus Herald's own fields. */
export type AdminIncident = Omit<V2Incident, "incident_updates"> & {
  kind: IncidentKind;
  impact_override: Impact | null;
  scheduled_for: string | null;
  scheduled_until: string | null;
  /** A maintenance's reminder lead time in minutes; null: the default (60). */
  remind_minutes: number | null;
  next_update_at: string | null;
  /** The promised next update's time has passed with no update (never shown on the public page). */
  next_update_overdue: boolean;
  /** A maintenance starts and completes by itself on its window. */
  auto_start: boolean;
  auto_complete: boolean;
  cancelled_at: string | null;
  postmortem_body: string | null;
  postmortem_published_at: string | null;
  /** The Incident Commander's person id (docs/team.md); null: nobody commands it (opened by a token). */
  commander_id: string | null;
  incident_updates: (V2IncidentUpdate & {
    body_html: string;
    created_by: string | null;
    next_update_in_minutes: number | null;
  })[];
};

export function adminIncident(
  record: IncidentRecord,
  components: ComponentRow[],
  page: PageRow,
  now: Date,
): AdminIncident {
  const base = v2Incident(record, components, page);
  return {
    ...base,
    kind: record.kind,
    impact_override: record.impactOverride,
    scheduled_for: record.scheduledFor,
    scheduled_until: record.scheduledUntil,
    remind_minutes: record.remindMinutes,
    next_update_at: record.nextUpdateDueAt,
    next_update_overdue: isUpdateOverdue(record, now),
    auto_start: record.autoStart,
    auto_complete: record.autoComplete,
    cancelled_at: record.cancelledAt,
    postmortem_body: record.postmortemMd,
    postmortem_published_at: record.postmortemPublishedAt,
    commander_id: record.commanderId,
    incident_updates: base.incident_updates.map((u, i) => ({
      ...u,
      body_html: record.updates[i]?.bodyHtml ?? "",
      created_by: record.updates[i]?.createdBy ?? null,
      next_update_in_minutes: record.updates[i]?.nextUpdateInMinutes ?? null,
    })),
  };
}

/** `AdminIncident` as a schema: the admin API's answers are described (and tested) from it. */
export const adminIncidentSchema = z.strictObject({
  ...incidentFields,
  status: z.enum(UPDATE_STATUSES),
  kind: z.enum(INCIDENT_KINDS),
  impact_override: z.enum(IMPACTS).nullable(),
  scheduled_for: time.nullable(),
  scheduled_until: time.nullable(),
  remind_minutes: z.int().nullable(),
  next_update_at: time.nullable(),
  next_update_overdue: z.boolean(),
  auto_start: z.boolean(),
  auto_complete: z.boolean(),
  cancelled_at: time.nullable(),
  postmortem_body: z.string().nullable(),
  postmortem_published_at: time.nullable(),
  commander_id: z.string().nullable(),
  incident_updates: z.array(
    v2IncidentUpdate.extend({
      body_html: z.string(),
      created_by: z.string().nullable(),
      next_update_in_minutes: z.int().nullable(),
    }),
  ),
});
