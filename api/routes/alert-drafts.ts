import { z } from "zod";
import { discardDraft } from "../../core/alerts/drafts/discard-draft.ts";
import { getDraft, listDrafts } from "../../core/alerts/drafts/list-drafts.ts";
import { previewDraft } from "../../core/alerts/drafts/preview-draft.ts";
import { publishDraft } from "../../core/alerts/drafts/publish-draft.ts";
import { draftPreviewSchema, draftViewSchema } from "../../core/alerts/drafts/schemas.ts";
import { adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import { DRAFT_STATES } from "../../db/enums.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "alerts";

export const listDraftsRoute = operationRoute(listDrafts, {
  method: "get",
  path: "/api/alert-drafts",
  summary: "List draft incidents from alerts (waiting ones first), each with its alerts",
  tag,
  status: 200,
  response: z.array(draftViewSchema),
  respond: (drafts) => drafts,
  responseDescription: "the drafts, newest first with the waiting ones on top (at most 200)",
});

export const getDraftRoute = operationRoute(getDraft, {
  method: "get",
  path: "/api/alert-drafts/{id}",
  summary: "Get a draft incident with its alerts",
  tag,
  status: 200,
  response: draftViewSchema,
  respond: (draft) => draft,
  responseDescription: "the draft as its template drafted it, with its alerts (summary, labels, status, since)",
});

export const previewDraftRoute = operationRoute(previewDraft, {
  method: "post",
  path: "/api/alert-drafts/{id}/preview",
  summary: "Preview what publishing the draft (with these edits) would post, writing nothing (any role)",
  tag,
  status: 200,
  response: draftPreviewSchema,
  respond: (preview) => preview,
  responseDescription:
    "{ name, status, body, components }: the incident as it would open; { body_html, mail }: the text as the page shows it and the mail subscribers would get (null: no one)",
});

export const publishDraftRoute = operationRoute(publishDraft, {
  method: "post",
  path: "/api/alert-drafts/{id}/publish",
  summary: "Publish a waiting draft as an incident, optionally edited first (409 when someone acted first)",
  tag,
  status: 201,
  response: z.strictObject({ draft_id: z.string(), incident: adminIncidentSchema }),
  respond: (published) => published,
  responseDescription: "the incident it opened, exactly as POST /api/incidents answers it",
});

export const discardDraftRoute = operationRoute(discardDraft, {
  method: "post",
  path: "/api/alert-drafts/{id}/discard",
  from: "path",
  summary: "Discard a waiting draft: no incident, no more reminders (409 when someone acted first)",
  tag,
  status: 200,
  response: z.strictObject({ draft_id: z.string(), state: z.enum(DRAFT_STATES) }),
  respond: (discarded) => discarded,
  responseDescription: "the draft's id and its new state",
});

export const alertDraftRoutes: AdminRoute[] = [
  listDraftsRoute,
  getDraftRoute,
  previewDraftRoute,
  publishDraftRoute,
  discardDraftRoute,
];
