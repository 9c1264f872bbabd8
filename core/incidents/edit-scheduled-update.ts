import { and, eq, isNull } from "drizzle-orm";
import { incidentUpdates } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { commitGuarded } from "./commit-guarded.ts";
import { findIncident, loadIncidentState } from "./incident-state.ts";
import {
  assertSchedulable,
  getScheduledUpdate,
  type ScheduledUpdateView,
  scheduledUpdateView,
} from "./scheduled-updates.ts";
import { editScheduledUpdateInput } from "./schemas.ts";
import { writeUpdate } from "./update-rules.ts";

/** Changes a timed update before it is published (text, status, components, promise or time); audited. */
export async function editScheduledUpdate(
  ctx: ActionContext,
  updateId: string,
  rawInput: unknown,
): Promise<ScheduledUpdateView> {
  requireRole(ctx, "commander", "edit scheduled updates");
  const input = parseInput(editScheduledUpdateInput, rawInput);
  const now = ctx.clock.now();
  assertSchedulable(input, now);
  const stored = await getScheduledUpdate(ctx.db, updateId);
  const state = await loadIncidentState(ctx.db, [stored.row.incidentId]);
  const incident = findIncident(state, stored.row.incidentId);
  const components = input.components ?? stored.row.scheduledComponents ?? {};
  // Checked again as a whole, as it will be published: the status fits the kind, the components exist.
  const written = writeUpdate(
    state,
    { id: incident.id, kind: incident.kind, record: incident },
    {
      status: input.status ?? stored.row.status,
      body: input.body ?? stored.row.bodyMd,
      components,
      by: stored.row.createdBy ?? ctx.actor.name,
    },
    now,
  );
  const publishAt = input.publish_at
    ? new Date(input.publish_at).toISOString()
    : (stored.row.publishAt ?? now.toISOString());
  const row = {
    ...stored.row,
    status: written.row.status,
    bodyMd: written.row.bodyMd,
    bodyHtml: written.row.bodyHtml,
    scheduledComponents: Object.fromEntries(written.components),
    deliverNotifications: input.deliver_notifications ?? stored.row.deliverNotifications,
    nextUpdateInMinutes:
      input.next_update_in_minutes !== undefined ? input.next_update_in_minutes : stored.row.nextUpdateInMinutes,
    publishAt,
    displayAt: publishAt,
    updatedAt: now.toISOString(),
  };
  const { id: _, ...fields } = row;
  await commitGuarded(ctx, {
    statements: [
      ctx.db
        .update(incidentUpdates)
        .set(fields)
        .where(and(eq(incidentUpdates.id, updateId), isNull(incidentUpdates.publishedAt))),
      failUnlessChanged(ctx.db),
    ],
    audit: {
      action: "update.schedule_edit",
      targetType: "incident_update",
      targetId: updateId,
      details: { incident_id: row.incidentId, before: scheduledUpdateView(stored.row), after: input },
    },
    jobs: [],
  });
  return scheduledUpdateView(row);
}
