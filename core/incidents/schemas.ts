import { z } from "zod";
import { componentStatusSchema } from "../components/schemas.ts";
import { IMPACTS, INCIDENT_STATUSES, REOPEN_STATUSES, UPDATE_STATUSES } from "../model/statuses.ts";
import { safeText } from "../text/safe-text.ts";

/** The incident or maintenance a request acts on: the route's `{id}`. */
export const incidentId = { id: z.string().describe("the incident's id") };

export const isoTime = z.iso.datetime({
  offset: true,
  message: "must be an ISO 8601 date-time, e.g. 2026-11-26T10:00:00Z",
});

export const updateFields = {
  status: z.enum(UPDATE_STATUSES).describe("the incident's (or maintenance's) new status"),
  body: safeText({ max: 25_000, multiline: true }).describe("Markdown; sanitized HTML is stored and shown"),
  components: z.record(z.string(), componentStatusSchema).describe("component id → the status this update sets it to"),
  deliver_notifications: z.boolean().describe("notify subscribers of this update (default true)"),
  display_at: isoTime.describe("the time shown for this update; may be backdated, not in the future"),
  next_update_in_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .describe('promise the next update within this many minutes ("Next update by HH:MM" on the page)'),
};

const impactOverride = z
  .enum(IMPACTS)
  .nullable()
  .describe("overrides the impact computed from component statuses; null returns to computed");

export const postUpdateInput = z
  .object({
    ...updateFields,
    status: updateFields.status.optional(),
    body: updateFields.body.optional(),
    components: updateFields.components.optional(),
    deliver_notifications: updateFields.deliver_notifications.optional(),
    display_at: updateFields.display_at.optional(),
    next_update_in_minutes: updateFields.next_update_in_minutes
      .nullable()
      .optional()
      .describe("promise the next update within this many minutes (default: the page's cadence; null: no promise)"),
    impact: impactOverride.optional(),
    publish_at: isoTime
      .optional()
      .describe("publish later: the update is kept as scheduled (on no page, feed or inbox) until this time"),
  })
  .strict();

const incidentMeta = {
  name: safeText({ max: 255, required: "a name is required" }),
  impact: impactOverride.optional(),
  scheduled_for: isoTime.optional().describe("maintenance start"),
  scheduled_until: isoTime.optional().describe("maintenance end"),
  remind_minutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .nullable()
    .optional()
    .describe("remind subscribers this many minutes before a maintenance starts (default 60; 0: no reminder)"),
};

const maintenanceAutomation = {
  auto_start: z.boolean().optional().describe("a maintenance starts by itself at scheduled_for (default true)"),
  auto_complete: z.boolean().optional().describe("a maintenance completes by itself at scheduled_until (default true)"),
};

export const openIncidentInput = postUpdateInput.omit({ publish_at: true }).extend({
  ...incidentMeta,
  ...maintenanceAutomation,
  kind: z.enum(["incident", "maintenance"]).optional().describe("default incident"),
});

/** `publish_at` of an incident opened later. */
export const publishAtField = isoTime.describe(
  "open later: the incident is kept as scheduled (on no page, feed or inbox) until this time",
);

/** A timed update or a scheduled opening named by the path: what cancelling one takes. */
export const scheduledUpdateId = z.object({ updateId: z.string().describe("the timed update's id") }).strict();
export const scheduledOpeningId = z.object({ openingId: z.string().describe("the scheduled opening's id") }).strict();

export const rescheduleOpeningInput = scheduledOpeningId.extend({ publish_at: publishAtField }).strict();

export const editIncidentInput = postUpdateInput
  .omit({ publish_at: true })
  .extend({ ...incidentMeta, ...maintenanceAutomation, name: incidentMeta.name.optional() });

export const editUpdateInput = z
  .object({ body: updateFields.body, display_at: updateFields.display_at })
  .partial()
  .strict()
  .refine((v) => v.body !== undefined || v.display_at !== undefined, "give body or display_at to change");

export const postmortemInput = z
  .object({
    body: safeText({ max: 100_000, multiline: true, trim: true, required: "a postmortem needs text" }),
    publish: z.boolean().describe("publish now (default true); false keeps a draft"),
  })
  .partial({ publish: true })
  .strict();

export type PostUpdateInput = z.output<typeof postUpdateInput>;
export type OpenIncidentInput = z.output<typeof openIncidentInput>;

const maintenanceNotice = {
  body: updateFields.body.optional().describe("Markdown of the update posted with it (default: a stock text)"),
  deliver_notifications: updateFields.deliver_notifications.optional(),
};

export const rescheduleMaintenanceInput = z
  .object({
    scheduled_for: isoTime.optional().describe("the new start"),
    scheduled_until: isoTime.optional().describe("the new end"),
    ...maintenanceNotice,
  })
  .strict()
  .refine(
    (v) => v.scheduled_for !== undefined || v.scheduled_until !== undefined,
    "give scheduled_for or scheduled_until",
  );

export const extendMaintenanceInput = z
  .object({ scheduled_until: isoTime.describe("the new end, later than the current one"), ...maintenanceNotice })
  .strict();

export const cancelMaintenanceInput = z.object(maintenanceNotice).strict();

/** `POST /api/incidents/{id}/reopen`: the status it is back in and what readers are told. */
export const reopenIncidentInput = z
  .object({
    status: z.enum(REOPEN_STATUSES).describe("the open status it is back in"),
    body: safeText({ max: 25_000, multiline: true, required: "say why it is reopened" }).describe(
      "Markdown: why it is reopened",
    ),
    components: updateFields.components.optional().describe("component id → the status it is back in"),
    deliver_notifications: updateFields.deliver_notifications.optional(),
    next_update_in_minutes: postUpdateInput.shape.next_update_in_minutes,
  })
  .strict();

/** `PATCH /api/scheduled-updates/{updateId}`: the timed update named by the path, and what changes. */
export const editScheduledUpdateInput = z
  .object({
    updateId: z.string().describe("the timed update's id"),
    ...z
      .object({
        status: updateFields.status,
        body: updateFields.body,
        components: updateFields.components,
        deliver_notifications: updateFields.deliver_notifications,
        next_update_in_minutes: updateFields.next_update_in_minutes.nullable(),
        publish_at: isoTime.describe("the new publish time, in the future"),
      })
      .partial().shape,
  })
  .strict()
  .refine(({ updateId: _, ...v }) => Object.keys(v).length > 0, "give at least one field to change");

export const backfillIncidentInput = z
  .object({
    name: incidentMeta.name,
    impact: impactOverride.optional(),
    started_at: isoTime.describe("when it began (in the past)"),
    resolved_at: isoTime.describe("when it was resolved (after started_at, in the past)"),
    components: updateFields.components
      .optional()
      .describe("component id → the status it was in from started_at to resolved_at (its history and uptime)"),
    updates: z
      .array(
        z
          .object({
            status: z.enum(INCIDENT_STATUSES),
            body: updateFields.body.optional(),
            display_at: isoTime.describe("when it was posted, between started_at and resolved_at"),
          })
          .strict(),
      )
      .min(1)
      .max(200)
      .describe("its timeline; a resolved update at resolved_at is added when the last one is not"),
  })
  .strict();

export type BackfillIncidentInput = z.output<typeof backfillIncidentInput>;
