import { type Change, commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { HeraldError } from "../errors.ts";
import { isStalePlan } from "../guard.ts";

/** Commits a change on a timed update; 409 when the scheduler published it (or someone cancelled it) meanwhile. */
export async function commitGuarded(ctx: ActionContext, change: Change): Promise<void> {
  try {
    await commitChange(ctx, change);
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    throw new HeraldError("conflict", "The update was published or cancelled meanwhile; nothing was changed.");
  }
}
