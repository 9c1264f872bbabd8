import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import { enumParam } from "../actions/query-params.ts";
import { listComponents } from "../components/load-components.ts";
import { getPage } from "../page/get-page.ts";
import { type AdminIncident, adminIncident } from "./admin-incident.ts";
import { getIncident } from "./load-incidents.ts";
import { readScheduledUpdates, type ScheduledUpdateView } from "./scheduled-updates.ts";
import { readScheduledOpenings } from "./stored-openings.ts";

/** Every timed update not yet published, across incidents, the soonest first. */
export const listScheduledUpdates = defineQuery({
  name: "update.list_scheduled",
  role: "viewer",
  doing: "list scheduled updates",
  input: z.object({}),
  read: (ctx) => readScheduledUpdates(ctx.db),
});

/** The incidents waiting to be opened (a failed one says why), the soonest first. */
export const listScheduledOpenings = defineQuery({
  name: "incident.list_scheduled_openings",
  role: "viewer",
  doing: "list scheduled incidents",
  input: z.object({}),
  read: (ctx) => readScheduledOpenings(ctx.db),
});

export type IncidentUpdates =
  | { state: "published"; updates: AdminIncident["incident_updates"] }
  | { state: "scheduled"; updates: ScheduledUpdateView[] };

/** An incident's updates: published (its timeline, newest first) or scheduled (timed, the soonest first). */
export const listIncidentUpdates = defineQuery({
  name: "update.list",
  role: "viewer",
  doing: "list incident updates",
  input: z.object({
    id: z.string().describe("the incident's id"),
    state: enumParam("published (default) or scheduled", ["published", "scheduled"]),
  }),
  async read(ctx, { id, state }, now): Promise<IncidentUpdates> {
    const record = await getIncident(ctx.db, id);
    if (state === "scheduled") return { state, updates: await readScheduledUpdates(ctx.db, record.id) };
    const [components, page] = await Promise.all([listComponents(ctx.db), getPage(ctx.db)]);
    return { state: "published", updates: adminIncident(record, components, page, now).incident_updates };
  },
});
