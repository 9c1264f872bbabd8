import { commitChanges } from "../changes/commit.ts";
import { isStalePlan } from "../changes/guard.ts";
import { requireRole } from "./authorize.ts";
import type { ActionContext } from "./context.ts";
import { type AnyOperation, type InputOf, isQuery, type ResultOf } from "./define.ts";
import { HeraldError } from "./errors.ts";
import { parseInput } from "./validation.ts";

/**
 * Runs an action or a query: checks the actor's role, parses the input (typed callers' input too: a
 * form's or a command line's values are checked here, once), loads, plans and commits in one batch.
 */
export async function run<O extends AnyOperation>(
  ctx: ActionContext,
  operation: O,
  input: InputOf<O>,
): Promise<ResultOf<O>> {
  return runUnchecked(ctx, operation, input);
}

/**
 * `run` for input nobody has typed (an HTTP body or query): the same checks, the same answer. `subject`
 * names what was sent in the refusal ("The query is not valid: …").
 */
export async function runUnchecked<O extends AnyOperation>(
  ctx: ActionContext,
  operation: O,
  rawInput: unknown,
  subject?: string,
): Promise<ResultOf<O>> {
  requireRole(ctx, operation.role, operation.doing);
  const now = ctx.clock.now();
  const input = parseInput(operation.input, rawInput, subject);
  if (isQuery(operation)) return (await operation.read(ctx, input, now)) as ResultOf<O>;
  const loaded = await operation.load(ctx, input, now);
  const { changes, result } = operation.plan(loaded, input, { now, actor: ctx.actor });
  try {
    // Stamped with the instant the plan was made for, so what the action answers and what it wrote agree.
    await commitChanges({ ...ctx, clock: { now: () => now } }, changes);
  } catch (error) {
    if (operation.conflict === undefined || !isStalePlan(error)) throw error;
    throw new HeraldError("conflict", operation.conflict);
  }
  return result as ResultOf<O>;
}
