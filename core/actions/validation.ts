import type { z } from "zod";
import { invalid } from "./errors.ts";

/** Parses input against a schema, or throws one `invalid` error naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, subject = "request"): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));
  throw invalid(
    `The ${subject} is not valid: ${fieldErrors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    fieldErrors,
  );
}
