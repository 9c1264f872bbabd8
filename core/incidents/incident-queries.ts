import { z } from "zod";
import type { ActionContext } from "../actions/context.ts";
import { defineQuery } from "../actions/define.ts";
import { booleanParam, enumParam, intParamWithDefault } from "../actions/query-params.ts";
import { listComponents } from "../components/load-components.ts";
import type { IncidentRecord } from "../model/rows.ts";
import { getPage } from "../page/get-page.ts";
import { type AdminIncident, adminIncident } from "./admin-incident.ts";
import { getIncident, listIncidents } from "./load-incidents.ts";
import { listScheduledUpdates, type ScheduledUpdateView } from "./scheduled-updates.ts";
import { incidentId } from "./schemas.ts";

/** The records as the admin API shows them, against the page and components as they are now. */
async function adminIncidents(ctx: ActionContext, records: IncidentRecord[], now: Date): Promise<AdminIncident[]> {
  const [components, page] = await Promise.all([listComponents(ctx.db), getPage(ctx.db)]);
  return records.map((r) => adminIncident(r, components, page, now));
}

/** Incidents and maintenances, newest first, a page at a time. */
export const incidentsQuery = defineQuery({
  name: "incident.list",
  role: "viewer",
  doing: "list incidents and maintenances",
  input: z.object({
    kind: enumParam("incident or maintenance", ["incident", "maintenance"]),
    open: booleanParam("true for only unresolved ones"),
    limit: intParamWithDefault("page size, 1-500 (default 50)", { min: 1, max: 500, default: 50 }),
    page: intParamWithDefault("page number from 1", { min: 1, max: 100_000, default: 1 }),
  }),
  async read(ctx, { kind, open, limit, page }, now) {
    const records = await listIncidents(ctx.db, { kind, open, limit, offset: (page - 1) * limit });
    return adminIncidents(ctx, records, now);
  },
});

/** One incident or maintenance with its timeline. */
export const incidentQuery = defineQuery({
  name: "incident.get",
  role: "viewer",
  doing: "get an incident with its timeline",
  input: z.object(incidentId),
  async read(ctx, { id }, now): Promise<AdminIncident> {
    const [view] = await adminIncidents(ctx, [await getIncident(ctx.db, id)], now);
    if (!view) throw new Error("one record gives one view");
    return view;
  },
});

export type IncidentUpdates =
  | { state: "published"; updates: AdminIncident["incident_updates"] }
  | { state: "scheduled"; updates: ScheduledUpdateView[] };

/** An incident's updates: published (the timeline, newest first) or scheduled (timed, soonest first). */
export const incidentUpdatesQuery = defineQuery({
  name: "incident.updates",
  role: "viewer",
  doing: "list an incident's updates",
  input: z.object({
    ...incidentId,
    state: enumParam("published (default) or scheduled", ["published", "scheduled"]),
  }),
  async read(ctx, { id, state }, now): Promise<IncidentUpdates> {
    const record = await getIncident(ctx.db, id);
    if (state === "scheduled") return { state, updates: await listScheduledUpdates(ctx.db, record.id) };
    const [view] = await adminIncidents(ctx, [record], now);
    return { state: "published", updates: view?.incident_updates ?? [] };
  },
});

/** `ScheduledUpdateView` as a schema, for the answer's documentation (the view's type must fit it). */
export const scheduledUpdateSchema = z.strictObject({
  id: z.string(),
  incident_id: z.string(),
  status: z.string(),
  body: z.string(),
  body_html: z.string(),
  components: z.record(z.string(), z.string()),
  deliver_notifications: z.boolean(),
  next_update_in_minutes: z.int().nullable(),
  publish_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string().nullable(),
});
