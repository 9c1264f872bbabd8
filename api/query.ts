import { z } from "zod";
import { invalid } from "../core/actions/errors.ts";

/**
 * Query parameters of the admin API, declared once per route: the same declaration parses the query
 * (a bad value is a 422 naming the parameter, never a 500) and describes it in the OpenAPI document.
 * Parameters a route does not declare are ignored.
 */
export type QueryParam = z.ZodType<unknown, string | undefined>;
export type QuerySpec = Record<string, QueryParam>;
export type QueryValues<S extends QuerySpec> = z.output<z.ZodObject<S>>;

/** A whole number from `min` to `max`, written in digits (no sign, exponent or fraction). */
export function intParam(description: string, { min, max }: { min: number; max: number }) {
  const range = `a whole number from ${min} to ${max.toLocaleString("en-US")}`;
  return z
    .string()
    .regex(/^[0-9]{1,16}$/, range)
    .transform(Number)
    .pipe(z.int().min(min, range).max(max, range))
    .describe(description);
}

export function intParamWithDefault(description: string, range: { min: number; max: number; default: number }) {
  return intParam(description, range).optional().default(range.default);
}

/** One of the listed words. */
export function enumParam<const T extends readonly [string, ...string[]]>(description: string, values: T) {
  return z
    .enum(values, { error: `one of: ${values.join(", ")}` })
    .optional()
    .describe(description);
}

/** `true` or `false`; absent is false. */
export function booleanParam(description: string) {
  return z
    .enum(["true", "false"], { error: "true or false" })
    .optional()
    .transform((v) => v === "true")
    .describe(description);
}

/** An ISO 8601 date-time with an offset. */
export function timeParam(description: string) {
  return z.iso
    .datetime({ offset: true, message: "an ISO 8601 date-time, e.g. 2026-11-26T10:00:00Z" })
    .optional()
    .describe(description);
}

export function parseQuery<S extends QuerySpec>(spec: S, query: Record<string, string>): QueryValues<S> {
  const result = z.object(spec).safeParse(query);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  throw invalid(`The query is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, errors);
}

/** OpenAPI `parameters` entries for a route's query. */
export function queryParameters(spec: QuerySpec): Record<string, unknown>[] {
  return Object.entries(spec).map(([name, param]) => {
    // The parsed type (an integer, a boolean) documents a parameter best; a transform's input says what to send.
    const output = z.toJSONSchema(param, { io: "output", unrepresentable: "any" });
    const {
      $schema: _,
      description,
      ...schema
    } = "type" in output ? output : z.toJSONSchema(param, { io: "input", unrepresentable: "any" });
    return { name, in: "query", required: false, description, schema };
  });
}
