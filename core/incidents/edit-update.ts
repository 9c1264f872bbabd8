import { and, eq } from "drizzle-orm";
import { incidents, incidentUpdates } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange, historyMonth } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { renderMarkdown } from "../markdown.ts";
import { renderJob } from "../outbox.ts";
import type { IncidentRecord } from "../types.ts";
import { parseInput } from "../validation.ts";
import { getIncident, getIncidentRow } from "./load-incidents.ts";
import { resolveDisplayAt } from "./plan-update.ts";
import { editUpdateInput } from "./schemas.ts";

/** Corrects an update's text or shown time; the audit log keeps what it said before. */
export async function editUpdate(
  ctx: ActionContext,
  incidentId: string,
  updateId: string,
  rawInput: unknown,
): Promise<IncidentRecord> {
  requireRole(ctx, "commander", "edit incident updates");
  const input = parseInput(editUpdateInput, rawInput);
  const incident = await getIncidentRow(ctx.db, incidentId);
  const [update] = await ctx.db
    .select()
    .from(incidentUpdates)
    .where(and(eq(incidentUpdates.id, updateId), eq(incidentUpdates.incidentId, incidentId)));
  if (!update) throw notFound(`Incident "${incidentId}" has no update with id "${updateId}".`);
  const now = ctx.clock.now();
  const displayAt = input.display_at ? resolveDisplayAt(input.display_at, now) : undefined;
  const body = input.body?.trim();
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(incidentUpdates)
        .set({
          bodyMd: body || undefined,
          bodyHtml: body ? renderMarkdown(body) : undefined,
          displayAt,
          updatedAt: now.toISOString(),
        })
        .where(eq(incidentUpdates.id, updateId)),
      ctx.db.update(incidents).set({ updatedAt: now.toISOString() }).where(eq(incidents.id, incidentId)),
    ],
    audit: {
      action: "update.edit",
      targetType: "incident_update",
      targetId: updateId,
      details: { incident_id: incidentId, before: { body: update.bodyMd, display_at: update.displayAt }, after: input },
    },
    jobs: [renderJob({ incidents: [incidentId], months: [historyMonth(incident.startedAt)] })],
  });
  return getIncident(ctx.db, incidentId);
}
