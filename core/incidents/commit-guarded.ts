import { type Change, commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { HeraldError } from "../errors.ts";
import { isStalePlan } from "../guard.ts";

/**
 * Commits a change on something the scheduler may act on first (a timed update, a scheduled opening);
 * 409 with `conflict` when it was published (or someone cancelled it) meanwhile.
 */
export async function commitGuarded(
  ctx: ActionContext,
  change: Change,
  conflict = "The update was published or cancelled meanwhile; nothing was changed.",
): Promise<void> {
  try {
    await commitChange(ctx, change);
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    throw new HeraldError("conflict", conflict);
  }
}
