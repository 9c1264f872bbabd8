import { z } from "zod";
import {
  COMPONENT_STATUSES,
  IMPACTS,
  INCIDENT_STATUSES,
  MAINTENANCE_STATUSES,
  UPDATE_STATUSES,
} from "../model/statuses.ts";

/**
 * The Statuspage v2 shapes as zod schemas: the webhook payloads' `incident` (core/notifications/webhook/
 * contract.ts) and the admin API's answers (which add Herald's fields) are described from them.
 */

/** Schemas that have a name of their own in the OpenAPI document (`components.schemas`). */
export const webhookSchemas = z.registry<{ id: string; description?: string }>();

export const id = z.string().regex(/^[0-9a-z]{12}$/);
export const time = z.iso.datetime({ offset: true });
export const url = z.url({ protocol: /^https?$/ });

export const v2Component = z
  .strictObject({
    id,
    name: z.string(),
    status: z.enum(COMPONENT_STATUSES),
    created_at: time,
    updated_at: time,
    position: z.int(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.iso.date().nullable(),
    group_id: id.nullable(),
    page_id: id,
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
    /** A group's children, only on groups. */
    components: z.array(id).optional(),
  })
  .register(webhookSchemas, { id: "StatuspageComponent", description: "A component as /api/v2 shows it." });

export const v2IncidentUpdate = z
  .strictObject({
    id,
    status: z.enum(UPDATE_STATUSES),
    body: z.string(),
    incident_id: id,
    created_at: time,
    updated_at: time,
    display_at: time,
    affected_components: z
      .array(
        z.strictObject({
          code: id,
          name: z.string(),
          old_status: z.enum(COMPONENT_STATUSES),
          new_status: z.enum(COMPONENT_STATUSES),
        }),
      )
      .nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.null(),
    tweet_id: z.null(),
  })
  .register(webhookSchemas, { id: "StatuspageIncidentUpdate", description: "An update as /api/v2 shows it." });

export const incidentFields = {
  id,
  name: z.string(),
  impact: z.enum(IMPACTS),
  created_at: time,
  updated_at: time,
  started_at: time,
  monitoring_at: time.nullable(),
  resolved_at: time.nullable(),
  shortlink: url,
  page_id: id,
  incident_updates: z.array(v2IncidentUpdate),
  components: z.array(v2Component),
  reminder_intervals: z.null(),
};

export const v2Incident = z
  .strictObject({ ...incidentFields, status: z.enum(INCIDENT_STATUSES) })
  .register(webhookSchemas, { id: "StatuspageIncident", description: "An incident as incidents.json shows it." });

export const v2Maintenance = z
  .strictObject({
    ...incidentFields,
    status: z.enum(MAINTENANCE_STATUSES),
    scheduled_for: time.nullable(),
    scheduled_until: time.nullable(),
  })
  .register(webhookSchemas, {
    id: "StatuspageMaintenance",
    description: "A maintenance as scheduled-maintenances.json shows it.",
  });
