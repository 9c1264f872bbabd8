import type { ActionContext } from "../actions/context.ts";
import { lapsedDrafts } from "../alerts/drafts/lapsed-drafts.ts";
import { type EscalationTickResult, escalateLapsed } from "./escalate.ts";
import type { EscalationLevel } from "./policy.ts";

/**
 * The waiting alert drafts' escalation under a policy (docs/alerts.md, Drafts): a draft nobody acted on within
 * its rule's `remind_minutes` escalates like a lapsed promise with no commander, level 1 first
 * (core/escalation/escalate.ts). Publishing or discarding it stops it (those actions say who); a draft that
 * stopped waiting otherwise stops here, `by: draft decided`.
 */
export async function escalateDrafts(
  ctx: ActionContext,
  levels: readonly EscalationLevel[],
): Promise<EscalationTickResult> {
  return escalateLapsed(ctx, levels, "draft", await lapsedDrafts(ctx.db, ctx.clock.now()), "draft decided");
}
