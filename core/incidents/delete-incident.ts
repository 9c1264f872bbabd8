import { eq } from "drizzle-orm";
import { incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange, historyMonth } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { renderJob } from "../outbox.ts";
import { getIncident } from "./load-incidents.ts";

/**
 * Deletes an incident and its timeline (admin only). Components keep their current status: deleting a
 * record is not a statement that service recovered. The audit row keeps a full copy.
 */
export async function deleteIncident(ctx: ActionContext, incidentId: string): Promise<void> {
  requireRole(ctx, "admin", "delete incidents");
  const incident = await getIncident(ctx.db, incidentId);
  await commitChange(ctx, {
    statements: [
      ctx.db.delete(updateComponents).where(eq(updateComponents.incidentId, incidentId)),
      ctx.db.delete(incidentUpdates).where(eq(incidentUpdates.incidentId, incidentId)),
      ctx.db.delete(incidents).where(eq(incidents.id, incidentId)),
    ],
    audit: { action: "incident.delete", targetType: "incident", targetId: incidentId, details: { deleted: incident } },
    jobs: [
      renderJob({
        incidents: [incidentId],
        components: incident.componentIds,
        months: [historyMonth(incident.startedAt)],
      }),
    ],
  });
}
