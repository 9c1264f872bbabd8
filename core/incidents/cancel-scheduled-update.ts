import { and, eq, isNull } from "drizzle-orm";
import { incidentUpdates } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { commitGuarded } from "./commit-guarded.ts";
import { getScheduledUpdate, scheduledUpdateView } from "./scheduled-updates.ts";

/** Cancels a timed update before it is published: it is deleted, and the audit row keeps what it said. */
export async function cancelScheduledUpdate(ctx: ActionContext, updateId: string): Promise<void> {
  requireRole(ctx, "commander", "cancel scheduled updates");
  const stored = await getScheduledUpdate(ctx.db, updateId);
  await commitGuarded(ctx, {
    statements: [
      ctx.db.delete(incidentUpdates).where(and(eq(incidentUpdates.id, updateId), isNull(incidentUpdates.publishedAt))),
      failUnlessChanged(ctx.db),
    ],
    audit: {
      action: "update.schedule_cancel",
      targetType: "incident_update",
      targetId: updateId,
      details: { cancelled: scheduledUpdateView(stored.row) },
    },
    jobs: [],
  });
}
