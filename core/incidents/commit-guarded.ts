import type { ActionContext } from "../actions/context.ts";
import { HeraldError } from "../actions/errors.ts";
import { type Change, commitChange } from "../changes/commit.ts";
import { isStalePlan } from "../changes/guard.ts";

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
