import { z } from "zod";
import type { ActionContext } from "../actions/context.ts";
import { defineQuery } from "../actions/define.ts";
import { booleanParam, enumParam, intParamWithDefault } from "../actions/query-params.ts";
import { listComponents } from "../components/load-components.ts";
import type { IncidentRecord } from "../model/rows.ts";
import { getPage } from "../page/get-page.ts";
import { type AdminIncident, adminIncident } from "./admin-incident.ts";
import { getIncident, listIncidents } from "./load-incidents.ts";
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
