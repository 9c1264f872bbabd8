import type { z } from "zod";
import type { ActionContext } from "../actions/context.ts";
import type { ActionDefinition, InputOf } from "../actions/define.ts";
import { run } from "../actions/run.ts";
import { isStalePlan } from "../changes/guard.ts";

/**
 * What running a due deferred action came to (docs/architecture.md, "Run this action at time T"):
 * `done` (committed), `refused` (its plan refused at its time; the refusal is recorded where the team
 * sees it) or `gone` (published, opened or cancelled meanwhile, here or by another process).
 */
export type DeferredResult =
  | { outcome: "done"; id: string }
  | { outcome: "refused"; reason: string }
  | { outcome: "gone" };

/** An action the scheduler runs when it is due: it names the stored run in its input and says what came of it. */
export type DeferredAction = ActionDefinition<string, z.ZodType, unknown, DeferredResult>;

/** How often a due run is planned again after another writer changed what it was planned from. */
const ATTEMPTS = 3;

/**
 * Runs a due deferred action through the ordinary runner (role, input, load, pure plan, one batch), on
 * behalf of its author, at the tick's time. Exactly once across processes: its plan carries a guard
 * (`failUnlessChanged`) that fails the batch when the stored run was taken meanwhile; it is then
 * loaded again, and one that is no longer waiting is `gone`.
 */
export async function runDue<A extends DeferredAction>(
  ctx: ActionContext,
  action: A,
  input: InputOf<A>,
): Promise<DeferredResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(ctx, action, input);
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      if (attempt >= ATTEMPTS) return { outcome: "gone" };
    }
  }
}
