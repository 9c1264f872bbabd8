import { z } from "zod";
import { type AdminIncident, adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import { backfillIncident } from "../../core/incidents/backfill-incident.ts";
import { cancelMaintenance } from "../../core/incidents/cancel-maintenance.ts";
import { deleteIncident } from "../../core/incidents/delete-incident.ts";
import { editIncident } from "../../core/incidents/edit-incident.ts";
import { editUpdate } from "../../core/incidents/edit-update.ts";
import { extendMaintenance } from "../../core/incidents/extend-maintenance.ts";
import { incidentQuery, incidentsQuery } from "../../core/incidents/incident-queries.ts";
import { openIncident } from "../../core/incidents/open-incident.ts";
import { reopenIncident } from "../../core/incidents/reopen-incident.ts";
import { rescheduleMaintenance } from "../../core/incidents/reschedule-maintenance.ts";
import { scheduledOpeningSchema } from "../../core/incidents/stored-openings.ts";
import { writePostmortem } from "../../core/incidents/write-postmortem.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";
import {
  cancelScheduledOpeningRoute,
  cancelScheduledUpdateRoute,
  editScheduledUpdateRoute,
  listIncidentUpdatesRoute,
  listScheduledOpeningsRoute,
  listScheduledUpdatesRoute,
  postUpdateRoute,
  rescheduleOpeningRoute,
} from "./scheduled.ts";

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

/** In the order the OpenAPI document lists them. */
export const incidentRoutes: AdminRoute[] = [
  listIncidentsRoute,
  openIncidentRoute,
  listScheduledOpeningsRoute,
  rescheduleOpeningRoute,
  cancelScheduledOpeningRoute,
  backfillIncidentRoute,
  getIncidentRoute,
  editIncidentRoute,
  deleteIncidentRoute,
  writePostmortemRoute,
  postUpdateRoute,
  reopenIncidentRoute,
  listIncidentUpdatesRoute,
  listScheduledUpdatesRoute,
  editScheduledUpdateRoute,
  cancelScheduledUpdateRoute,
  rescheduleMaintenanceRoute,
  extendMaintenanceRoute,
  cancelMaintenanceRoute,
  editUpdateRoute,
];
