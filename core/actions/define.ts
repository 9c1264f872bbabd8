/**
 * One definition per use case (docs/architecture.md, "Actions"): its name, the role it needs, its input
 * schema, what it loads, its pure plan and its result. `runAction` is the only caller of `load` and
 * `plan`; the API routes, the OpenAPI document, the console, the CLI and the scheduler all start from
 * the definition, so a field is named once and a role is declared once.
 */
import type { z } from "zod";
import type { Change } from "../changes/commit.ts";
import type { ActionContext, Actor, Role } from "./context.ts";

/** What a plan knows besides what was loaded: the instant the action runs at and who runs it. */
export type PlanEnv = { now: Date; actor: Actor };

/** A plan's outcome: the changes to commit in one batch (none for a no-op) and what the caller gets back. */
export type Outcome<Result> = { changes: Change[]; result: Result };

export type ActionDefinition<Name extends string, Input extends z.ZodType, Loaded, Result> = {
  /** `thing.verb`, e.g. `incident.open`; also what an audit reader and a log line call it. */
  name: Name;
  role: Role;
  /** The refusal's words: "A viewer token cannot {doing}; it needs the commander role." */
  doing: string;
  input: Input;
  /** Everything the plan needs from the database (and the page's settings), read once. */
  load(ctx: ActionContext, input: z.output<Input>, now: Date): Promise<Loaded>;
  /** A pure function of what was loaded: no reads, no clock, no randomness beyond new ids. */
  plan(loaded: Loaded, input: z.output<Input>, env: PlanEnv): Outcome<Result>;
  /** When set, a commit refused by a guard (someone acted first) is this 409 instead of an error. */
  conflict?: string;
};

/** A read: the same name, role and input schema, answered without a plan. */
export type QueryDefinition<Name extends string, Input extends z.ZodType, Result> = {
  name: Name;
  role: Role;
  doing: string;
  input: Input;
  read(ctx: ActionContext, input: z.output<Input>, now: Date): Promise<Result>;
};

/** Any definition (its methods are compared bivariantly, so `unknown` stands for every loaded state). */
export type AnyAction = ActionDefinition<string, z.ZodType, unknown, unknown>;
export type AnyQuery = QueryDefinition<string, z.ZodType, unknown>;
export type AnyOperation = AnyAction | AnyQuery;

export type ResultOf<O extends AnyOperation> =
  O extends ActionDefinition<string, z.ZodType, unknown, infer R>
    ? R
    : O extends QueryDefinition<string, z.ZodType, infer R>
      ? R
      : never;

/**
 * A value as a form or a command line gives it: the field names and shapes of the input, with each
 * enum widened to `string` and each number also accepted as the text it was typed as (the runner parses
 * it and refuses a wrong value with the field's message).
 * So a misspelt field does not compile, while the values are still checked in one place.
 */
export type Loosened<T> = T extends string
  ? string
  : T extends number
    ? number | string
    : T extends boolean | null | undefined
      ? T
      : T extends readonly (infer U)[]
        ? Loosened<U>[]
        : T extends object
          ? { [K in keyof T]: Loosened<T[K]> }
          : T;

/** What a console form or a CLI command hands an operation. */
export type InputOf<O extends AnyOperation> = Loosened<z.input<O["input"]>>;

export function defineAction<Name extends string, Input extends z.ZodType, Loaded, Result>(
  definition: ActionDefinition<Name, Input, Loaded, Result>,
): ActionDefinition<Name, Input, Loaded, Result> {
  return definition;
}

export function defineQuery<Name extends string, Input extends z.ZodType, Result>(
  definition: QueryDefinition<Name, Input, Result>,
): QueryDefinition<Name, Input, Result> {
  return definition;
}

export function isQuery(operation: AnyOperation): operation is AnyQuery {
  return "read" in operation;
}
