import type { ActionContext } from "../../core/actions/context.ts";
import type { InputOf } from "../../core/actions/define.ts";
import { run } from "../../core/actions/run.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import { openIncident } from "../../core/incidents/open-incident.ts";

/** Opens an incident (or schedules a maintenance) now, through the action, and answers with it. */
export async function openIncidentNow(ctx: ActionContext, input: InputOf<typeof openIncident>): Promise<AdminIncident> {
  const result = await run(ctx, openIncident, input);
  if (result.outcome !== "opened") throw new Error("expected the incident to open now, not to be scheduled");
  return result.incident;
}
