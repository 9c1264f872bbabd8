import { z } from "zod";
import { adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import { cancelScheduledOpening } from "../../core/incidents/cancel-scheduled-opening.ts";
import { cancelScheduledUpdate } from "../../core/incidents/cancel-scheduled-update.ts";
import { editScheduledUpdate } from "../../core/incidents/edit-scheduled-update.ts";
import {
  listIncidentUpdates,
  listScheduledOpenings,
  listScheduledUpdates,
} from "../../core/incidents/list-scheduled.ts";
import { postUpdate } from "../../core/incidents/post-update.ts";
import { rescheduleOpening } from "../../core/incidents/reschedule-opening.ts";
import { scheduledUpdateSchema } from "../../core/incidents/scheduled-updates.ts";
import { scheduledOpeningSchema } from "../../core/incidents/stored-openings.ts";
import { operationRoute } from "../operation-route.ts";

/** Posting an update (now or at a time), timed updates and scheduled openings: routes of `incidentRoutes`. */
const tag = "incidents";

export const postUpdateRoute = operationRoute(postUpdate, {
  method: "post",
  path: "/api/incidents/{id}/updates",
  summary:
    "Post an update, from a template with `template` and `variables` (status resolved closes the incident; a closed incident or maintenance takes none: 409, reopen it instead); with a future publish_at, schedule it",
  tag,
  status: 201,
  response: z.union([adminIncidentSchema, scheduledUpdateSchema]),
  respond: (result) => (result.outcome === "posted" ? result.incident : result.update),
  responseDescription: "the incident with the new update, or (with publish_at) the scheduled update",
});

export const listIncidentUpdatesRoute = operationRoute(listIncidentUpdates, {
  method: "get",
  path: "/api/incidents/{id}/updates",
  summary: "List an incident's updates: published (the timeline) or scheduled (timed, not yet published)",
  tag,
  status: 200,
  response: z.union([adminIncidentSchema.shape.incident_updates, z.array(scheduledUpdateSchema)]),
  respond: (result) => result.updates,
  responseDescription: "updates: published newest first, scheduled soonest first",
});

export const listScheduledUpdatesRoute = operationRoute(listScheduledUpdates, {
  method: "get",
  path: "/api/scheduled-updates",
  summary: "List every timed update not yet published, across incidents",
  tag,
  status: 200,
  response: z.array(scheduledUpdateSchema),
  respond: (updates) => updates,
  responseDescription: "scheduled updates, soonest first",
});

export const editScheduledUpdateRoute = operationRoute(editScheduledUpdate, {
  method: "patch",
  path: "/api/scheduled-updates/{updateId}",
  summary: "Change a timed update before it is published (audited)",
  tag,
  status: 200,
  response: scheduledUpdateSchema,
  respond: (update) => update,
  responseDescription: "the scheduled update",
});

export const cancelScheduledUpdateRoute = operationRoute(cancelScheduledUpdate, {
  method: "delete",
  path: "/api/scheduled-updates/{updateId}",
  summary: "Cancel a timed update before it is published (audited)",
  tag,
  status: 204,
  responseDescription: "cancelled",
});

export const listScheduledOpeningsRoute = operationRoute(listScheduledOpenings, {
  method: "get",
  path: "/api/scheduled-incidents",
  summary: "List the incidents scheduled to open later (with publish_at), the soonest first",
  tag,
  status: 200,
  response: z.array(scheduledOpeningSchema),
  respond: (openings) => openings,
  responseDescription: "scheduled openings, soonest first; a failed one says why",
});

export const rescheduleOpeningRoute = operationRoute(rescheduleOpening, {
  method: "patch",
  path: "/api/scheduled-incidents/{openingId}",
  summary: "Move a scheduled opening to another time (a failed one is tried again then; audited)",
  tag,
  status: 200,
  response: scheduledOpeningSchema,
  respond: (opening) => opening,
  responseDescription: "the scheduled opening",
});

export const cancelScheduledOpeningRoute = operationRoute(cancelScheduledOpening, {
  method: "delete",
  path: "/api/scheduled-incidents/{openingId}",
  summary: "Cancel a scheduled opening before it opens (audited)",
  tag,
  status: 204,
  responseDescription: "cancelled",
});
