import { z } from "zod";

/**
 * Query parameters as fields of an operation's input schema (the admin API's GET lists): each parses the
 * text of a query string (a bad value is a 422 naming the parameter, never a 500) and describes itself
 * in the OpenAPI document. An input read from the query is a plain `z.object`: undeclared parameters
 * are ignored.
 */

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
