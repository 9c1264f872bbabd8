import { and, isNotNull, isNull, lte } from "drizzle-orm";
import { incidents } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { type EscalationTickResult, escalateLapsed } from "./escalate.ts";
import type { EscalationLevel } from "./policy.ts";

export type { EscalationTickResult };

/**
 * The incidents' escalation under a policy: each open incident whose promised next update lapsed escalates
 * from its commander on (core/escalation/escalate.ts); an escalation whose promise was replaced (an update
 * was posted) or whose incident closed stops, `by: update`.
 */
export async function escalateIncidents(
  ctx: ActionContext,
  levels: readonly EscalationLevel[],
): Promise<EscalationTickResult> {
  const at = ctx.clock.now().toISOString();
  const rows = await ctx.db
    .select({ id: incidents.id, nextUpdateDueAt: incidents.nextUpdateDueAt, commanderId: incidents.commanderId })
    .from(incidents)
    .where(and(isNull(incidents.resolvedAt), isNotNull(incidents.nextUpdateDueAt), lte(incidents.nextUpdateDueAt, at)));
  const lapsed = rows.flatMap((row) =>
    row.nextUpdateDueAt
      ? [
          {
            subject: { type: "incident" as const, id: row.id },
            dueAt: row.nextUpdateDueAt,
            commanderId: row.commanderId,
            componentIds: [],
          },
        ]
      : [],
  );
  return escalateLapsed(ctx, levels, "incident", lapsed, "update");
}
