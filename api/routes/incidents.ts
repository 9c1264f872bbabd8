import { z } from "zod";
import type { ActionContext } from "../../core/actions/context.ts";
import { listComponents } from "../../core/components/load-components.ts";
import { adminIncident, adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import { backfillIncident } from "../../core/incidents/backfill-incident.ts";
import { cancelMaintenance } from "../../core/incidents/cancel-maintenance.ts";
import { deleteIncident } from "../../core/incidents/delete-incident.ts";
import { editIncident } from "../../core/incidents/edit-incident.ts";
import { editUpdate } from "../../core/incidents/edit-update.ts";
import { extendMaintenance } from "../../core/incidents/extend-maintenance.ts";
import { getIncident, listIncidents } from "../../core/incidents/load-incidents.ts";
import { openIncident } from "../../core/incidents/open-incident.ts";
import { reopenIncident } from "../../core/incidents/reopen-incident.ts";
import { rescheduleMaintenance } from "../../core/incidents/reschedule-maintenance.ts";
import { scheduledOpeningSchema } from "../../core/incidents/scheduled-openings.ts";
import {
  backfillIncidentInput,
  cancelMaintenanceInput,
  editIncidentInput,
  editUpdateInput,
  extendMaintenanceInput,
  postmortemInput,
  reopenIncidentInput,
  rescheduleMaintenanceInput,
} from "../../core/incidents/schemas.ts";
import { writePostmortem } from "../../core/incidents/write-postmortem.ts";
import type { IncidentRecord } from "../../core/model/rows.ts";
import { getPage } from "../../core/page/get-page.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";
import { booleanParam, enumParam, intParamWithDefault, parseQuery } from "../query.ts";
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

async function serialize(ctx: ActionContext, records: IncidentRecord[]) {
  const [components, page] = await Promise.all([listComponents(ctx.db), getPage(ctx.db)]);
  const now = ctx.clock.now();
  return records.map((r) => adminIncident(r, components, page, now));
}

const one = async (ctx: ActionContext, record: IncidentRecord) => (await serialize(ctx, [record]))[0];

const listQuery = {
  kind: enumParam("incident or maintenance", ["incident", "maintenance"]),
  open: booleanParam("true for only unresolved ones"),
  limit: intParamWithDefault("page size, 1-500 (default 50)", { min: 1, max: 500, default: 50 }),
  page: intParamWithDefault("page number from 1", { min: 1, max: 100_000, default: 1 }),
};

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

export const incidentRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/incidents",
    summary: "List incidents and maintenances",
    role: "viewer",
    tag,
    query: listQuery,
    responseDescription: "incidents newest first",
    handle: async (ctx, { query }) => {
      const { kind, open, limit, page } = parseQuery(listQuery, query);
      const records = await listIncidents(ctx.db, { kind, open, limit, offset: (page - 1) * limit });
      return { status: 200, body: await serialize(ctx, records) };
    },
  },
  openIncidentRoute,
  listScheduledOpeningsRoute,
  rescheduleOpeningRoute,
  cancelScheduledOpeningRoute,
  {
    method: "post",
    path: "/api/incidents/backfill",
    summary: "Record a past incident with its own times and dated updates (notifies no one)",
    role: "commander",
    tag,
    body: backfillIncidentInput,
    responseDescription: "the recorded incident",
    handle: async (ctx, { body }) => ({ status: 201, body: await backfillIncident(ctx, body) }),
  },
  {
    method: "get",
    path: "/api/incidents/{id}",
    summary: "Get an incident with its timeline",
    role: "viewer",
    tag,
    responseDescription: "the incident",
    handle: async (ctx, { params }) => ({
      status: 200,
      body: await one(ctx, await getIncident(ctx.db, params.id ?? "")),
    }),
  },
  {
    method: "patch",
    path: "/api/incidents/{id}",
    summary: "Edit an incident (and post an update when status, body or components are given)",
    role: "commander",
    tag,
    body: editIncidentInput,
    responseDescription: "the incident",
    handle: async (ctx, { params, body }) => ({
      status: 200,
      body: await editIncident(ctx, params.id ?? "", body),
    }),
  },
  {
    method: "delete",
    path: "/api/incidents/{id}",
    summary: "Delete an incident",
    role: "admin",
    tag,
    responseDescription: "deleted",
    handle: async (ctx, { params }) => {
      await deleteIncident(ctx, params.id ?? "");
      return { status: 204 };
    },
  },
  {
    method: "put",
    path: "/api/incidents/{id}/postmortem",
    summary: "Write or publish an incident's postmortem",
    role: "commander",
    tag,
    body: postmortemInput,
    responseDescription: "the incident",
    handle: async (ctx, { params, body }) => ({
      status: 200,
      body: await writePostmortem(ctx, params.id ?? "", body),
    }),
  },
  postUpdateRoute,
  {
    method: "post",
    path: "/api/incidents/{id}/reopen",
    summary:
      "Reopen a resolved incident with an open status and a text saying why (audited; notifies incident.reopened); an ordinary update to a resolved incident is a 409",
    role: "commander",
    tag,
    body: reopenIncidentInput,
    responseDescription: "the incident, open again",
    handle: async (ctx, { params, body }) => ({
      status: 201,
      body: await reopenIncident(ctx, params.id ?? "", body),
    }),
  },
  listIncidentUpdatesRoute,
  listScheduledUpdatesRoute,
  editScheduledUpdateRoute,
  cancelScheduledUpdateRoute,
  {
    method: "post",
    path: "/api/incidents/{id}/reschedule",
    summary: "Move a maintenance that has not started to a new window (notifies; raises the iCal SEQUENCE)",
    role: "commander",
    tag,
    body: rescheduleMaintenanceInput,
    responseDescription: "the maintenance",
    handle: async (ctx, { params, body }) => ({
      status: 201,
      body: await rescheduleMaintenance(ctx, params.id ?? "", body),
    }),
  },
  {
    method: "post",
    path: "/api/incidents/{id}/extend",
    summary: "Give a maintenance a later end (notifies)",
    role: "commander",
    tag,
    body: extendMaintenanceInput,
    responseDescription: "the maintenance",
    handle: async (ctx, { params, body }) => ({
      status: 201,
      body: await extendMaintenance(ctx, params.id ?? "", body),
    }),
  },
  {
    method: "post",
    path: "/api/incidents/{id}/cancel",
    summary: "Cancel a maintenance that has not started (notifies; the calendar marks it CANCELLED)",
    role: "commander",
    tag,
    body: cancelMaintenanceInput,
    responseDescription: "the maintenance",
    handle: async (ctx, { params, body }) => ({
      status: 201,
      body: await cancelMaintenance(ctx, params.id ?? "", body),
    }),
  },
  {
    method: "patch",
    path: "/api/incidents/{id}/updates/{updateId}",
    summary: "Correct an update's text or display time (audited)",
    role: "commander",
    tag,
    body: editUpdateInput,
    responseDescription: "the incident",
    handle: async (ctx, { params, body }) => ({
      status: 200,
      body: await editUpdate(ctx, params.id ?? "", params.updateId ?? "", body),
    }),
  },
];
