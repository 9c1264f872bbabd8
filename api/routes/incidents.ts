import { z } from "zod";
import { type AdminIncident, adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import { backfillIncident } from "../../core/incidents/backfill-incident.ts";
import { cancelMaintenance } from "../../core/incidents/cancel-maintenance.ts";
import { cancelScheduledUpdate } from "../../core/incidents/cancel-scheduled-update.ts";
import { deleteIncident } from "../../core/incidents/delete-incident.ts";
import { editIncident } from "../../core/incidents/edit-incident.ts";
import { editScheduledUpdate } from "../../core/incidents/edit-scheduled-update.ts";
import { editUpdate } from "../../core/incidents/edit-update.ts";
import { extendMaintenance } from "../../core/incidents/extend-maintenance.ts";
import {
  incidentQuery,
  incidentsQuery,
  incidentUpdatesQuery,
  scheduledUpdateSchema,
} from "../../core/incidents/incident-queries.ts";
import { openIncident } from "../../core/incidents/open-incident.ts";
import { postOrScheduleUpdate } from "../../core/incidents/post-update.ts";
import { reopenIncident } from "../../core/incidents/reopen-incident.ts";
import { rescheduleMaintenance } from "../../core/incidents/reschedule-maintenance.ts";
import { cancelScheduledOpening, rescheduleOpening } from "../../core/incidents/schedule-opening.ts";
import { listScheduledOpenings, scheduledOpeningSchema } from "../../core/incidents/scheduled-openings.ts";
import { listScheduledUpdates } from "../../core/incidents/scheduled-updates.ts";
import { editScheduledUpdateInput, rescheduleOpeningInput } from "../../core/incidents/schemas.ts";
import { writePostmortem } from "../../core/incidents/write-postmortem.ts";
import { postUpdateRequest } from "../../core/templates/schemas.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "incidents";

export const openIncidentRoute = operationRoute(openIncident, {
  method: "post",
  path: "/api/incidents",
  summary: "Open an incident or schedule a maintenance (from a template with `template` and `variables`)",
  tag,
  status: 201,
  response: z.union([adminIncidentSchema, scheduledOpeningSchema]),
  respond: (result) => (result.outcome === "opened" ? result.incident : result.opening),
  responseDescription: "the new incident, or (with publish_at) the scheduled opening",
});

export const listIncidentsRoute = operationRoute(incidentsQuery, {
  method: "get",
  path: "/api/incidents",
  summary: "List incidents and maintenances",
  tag,
  status: 200,
  response: z.array(adminIncidentSchema),
  respond: (incidents) => incidents,
  responseDescription: "incidents newest first",
});

export const backfillIncidentRoute = operationRoute(backfillIncident, {
  method: "post",
  path: "/api/incidents/backfill",
  summary: "Record a past incident with its own times and dated updates (notifies no one)",
  tag,
  status: 201,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the recorded incident",
});

export const getIncidentRoute = operationRoute(incidentQuery, {
  method: "get",
  path: "/api/incidents/{id}",
  summary: "Get an incident with its timeline",
  tag,
  status: 200,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident",
});

export const editIncidentRoute = operationRoute(editIncident, {
  method: "patch",
  path: "/api/incidents/{id}",
  summary: "Edit an incident (and post an update when status, body or components are given)",
  tag,
  status: 200,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident",
});

export const deleteIncidentRoute = operationRoute(deleteIncident, {
  method: "delete",
  path: "/api/incidents/{id}",
  summary: "Delete an incident",
  tag,
  status: 204,
  responseDescription: "deleted",
});

export const writePostmortemRoute = operationRoute(writePostmortem, {
  method: "put",
  path: "/api/incidents/{id}/postmortem",
  summary: "Write or publish an incident's postmortem",
  tag,
  status: 200,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident",
});

export const reopenIncidentRoute = operationRoute(reopenIncident, {
  method: "post",
  path: "/api/incidents/{id}/reopen",
  summary:
    "Reopen a resolved incident with an open status and a text saying why (audited; notifies incident.reopened); an ordinary update to a resolved incident is a 409",
  tag,
  status: 201,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident, open again",
});

export const incidentUpdatesRoute = operationRoute(incidentUpdatesQuery, {
  method: "get",
  path: "/api/incidents/{id}/updates",
  summary: "List an incident's updates: published (the timeline) or scheduled (timed, not yet published)",
  tag,
  status: 200,
  response: z.union([adminIncidentSchema.shape.incident_updates, z.array(scheduledUpdateSchema)]),
  respond: (listed) => listed.updates,
  responseDescription: "updates: published newest first, scheduled soonest first",
});

/** A maintenance's window changes answer with the maintenance. */
const windowChange = {
  tag,
  status: 201,
  response: adminIncidentSchema,
  respond: (maintenance: AdminIncident) => maintenance,
  responseDescription: "the maintenance",
} as const;

export const rescheduleMaintenanceRoute = operationRoute(rescheduleMaintenance, {
  method: "post",
  path: "/api/incidents/{id}/reschedule",
  summary: "Move a maintenance that has not started to a new window (notifies; raises the iCal SEQUENCE)",
  ...windowChange,
});

export const extendMaintenanceRoute = operationRoute(extendMaintenance, {
  method: "post",
  path: "/api/incidents/{id}/extend",
  summary: "Give a maintenance a later end (notifies)",
  ...windowChange,
});

export const cancelMaintenanceRoute = operationRoute(cancelMaintenance, {
  method: "post",
  path: "/api/incidents/{id}/cancel",
  summary: "Cancel a maintenance that has not started (notifies; the calendar marks it CANCELLED)",
  ...windowChange,
});

export const editUpdateRoute = operationRoute(editUpdate, {
  method: "patch",
  path: "/api/incidents/{id}/updates/{updateId}",
  summary: "Correct an update's text or display time (audited)",
  tag,
  status: 200,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident",
});

export const incidentRoutes: AdminRoute[] = [
  listIncidentsRoute,
  openIncidentRoute,
  {
    method: "get",
    path: "/api/scheduled-incidents",
    summary: "List the incidents scheduled to open later (with publish_at), the soonest first",
    role: "viewer",
    tag,
    responseDescription: "scheduled openings, soonest first; a failed one says why",
    handle: async (ctx) => ({ status: 200, body: await listScheduledOpenings(ctx.db) }),
  },
  {
    method: "patch",
    path: "/api/scheduled-incidents/{openingId}",
    summary: "Move a scheduled opening to another time (a failed one is tried again then; audited)",
    role: "commander",
    tag,
    body: rescheduleOpeningInput,
    responseDescription: "the scheduled opening",
    handle: async (ctx, { params, body }) => ({
      status: 200,
      body: await rescheduleOpening(ctx, params.openingId ?? "", body),
    }),
  },
  {
    method: "delete",
    path: "/api/scheduled-incidents/{openingId}",
    summary: "Cancel a scheduled opening before it opens (audited)",
    role: "commander",
    tag,
    responseDescription: "cancelled",
    handle: async (ctx, { params }) => {
      await cancelScheduledOpening(ctx, params.openingId ?? "");
      return { status: 204 };
    },
  },
  backfillIncidentRoute,
  getIncidentRoute,
  editIncidentRoute,
  deleteIncidentRoute,
  writePostmortemRoute,
  {
    method: "post",
    path: "/api/incidents/{id}/updates",
    summary:
      "Post an update, from a template with `template` and `variables` (status resolved closes the incident; a closed incident or maintenance takes none: 409, reopen it instead); with a future publish_at, schedule it",
    role: "commander",
    tag,
    body: postUpdateRequest,
    responseDescription: "the incident with the new update, or (with publish_at) the scheduled update",
    handle: async (ctx, { params, body }) => ({
      status: 201,
      body: await postOrScheduleUpdate(ctx, params.id ?? "", body),
    }),
  },
  reopenIncidentRoute,
  incidentUpdatesRoute,
  {
    method: "get",
    path: "/api/scheduled-updates",
    summary: "List every timed update not yet published, across incidents",
    role: "viewer",
    tag,
    responseDescription: "scheduled updates, soonest first",
    handle: async (ctx) => ({ status: 200, body: await listScheduledUpdates(ctx.db) }),
  },
  {
    method: "patch",
    path: "/api/scheduled-updates/{updateId}",
    summary: "Change a timed update before it is published (audited)",
    role: "commander",
    tag,
    body: editScheduledUpdateInput,
    responseDescription: "the scheduled update",
    handle: async (ctx, { params, body }) => ({
      status: 200,
      body: await editScheduledUpdate(ctx, params.updateId ?? "", body),
    }),
  },
  {
    method: "delete",
    path: "/api/scheduled-updates/{updateId}",
    summary: "Cancel a timed update before it is published (audited)",
    role: "commander",
    tag,
    responseDescription: "cancelled",
    handle: async (ctx, { params }) => {
      await cancelScheduledUpdate(ctx, params.updateId ?? "");
      return { status: 204 };
    },
  },
  rescheduleMaintenanceRoute,
  extendMaintenanceRoute,
  cancelMaintenanceRoute,
  editUpdateRoute,
];
