import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES, DRAFT_STATES } from "../../../db/enums.ts";
import { openIncidentInput } from "../../incidents/schemas.ts";
import { COMPONENT_STATUSES, IMPACTS, UPDATE_STATUSES } from "../../model/statuses.ts";

/** The draft a request acts on: the route's `{id}`. */
export const draftId = { id: z.string().describe("the draft's id") };

export const listDraftsInput = z
  .object({
    state: z.enum(DRAFT_STATES).optional().describe("only drafts in this state (default: every state, newest first)"),
  })
  .strict();

export const getDraftInput = z.object(draftId).strict();

/**
 * What a person may change before publishing: the incident as the template drafted it is the default, each
 * field given here replaces it (the same fields and checks as `POST /api/incidents`).
 */
export const draftEdits = {
  name: openIncidentInput.shape.name.optional(),
  status: z.enum(["investigating", "identified", "monitoring"]).optional().describe("the incident's first status"),
  body: openIncidentInput.shape.body,
  components: openIncidentInput.shape.components.describe(
    "component id → status; replaces the drafted components (an empty object: touch none)",
  ),
  impact: openIncidentInput.shape.impact,
  deliver_notifications: openIncidentInput.shape.deliver_notifications,
};

export const publishDraftInput = z.object({ ...draftId, ...draftEdits }).strict();
export const discardDraftInput = z.object(draftId).strict();

const time = z.iso.datetime({ offset: true });

export const draftAlertSchema = z.strictObject({
  id: z.string(),
  source_id: z.string(),
  fingerprint: z.string(),
  status: z.enum(ALERT_STATUSES),
  severity: z.enum(ALERT_SEVERITIES).nullable(),
  summary: z.string(),
  labels: z.record(z.string(), z.string()),
  url: z.string().nullable(),
  /** When this firing episode began (Herald's clock); null for an alert that is resolved. */
  since: time.nullable(),
  resolved_at: time.nullable(),
});

/** A draft as the API answers it, with the alerts that made it. */
export const draftViewSchema = z.strictObject({
  id: z.string(),
  state: z.enum(DRAFT_STATES),
  rule_id: z.string().nullable(),
  rule_name: z.string().nullable(),
  template_id: z.string().nullable(),
  name: z.string(),
  status: z.enum(UPDATE_STATUSES),
  body: z.string(),
  impact: z.enum(IMPACTS).nullable(),
  components: z.record(z.string(), z.enum(COMPONENT_STATUSES)),
  next_update_in_minutes: z.int().nullable(),
  created_at: time,
  updated_at: time,
  remind_at: time.nullable(),
  auto_publish_at: time.nullable(),
  decided_at: time.nullable(),
  decided_by: z.string().nullable(),
  incident_id: z.string().nullable(),
  alerts: z.array(draftAlertSchema),
});

/** What publishing would post: the incident as it would open (the draft with the edits) and the post's preview. */
export const draftPreviewSchema = z.strictObject({
  name: z.string(),
  status: z.enum(UPDATE_STATUSES),
  body: z.string(),
  components: z.record(z.string(), z.enum(COMPONENT_STATUSES)),
  body_html: z.string(),
  mail: z.strictObject({ subject: z.string(), text: z.string() }).nullable(),
});

export type DraftPreview = z.output<typeof draftPreviewSchema>;
export type DraftView = z.output<typeof draftViewSchema>;
export type DraftAlert = z.output<typeof draftAlertSchema>;
/** A person's edits of the drafted incident (every field optional: the draft's own stands for it). */
export type DraftEdits = Omit<z.output<typeof publishDraftInput>, "id">;
