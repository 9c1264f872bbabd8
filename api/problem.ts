import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError, HeraldError } from "../core/actions/errors.ts";

/** RFC 9457 problem details. `type` names the kind of problem; `errors` lists bad fields. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
};

const PROBLEM_TYPES: Record<
  | HeraldError["kind"]
  | "malformed"
  | "too_large"
  | "unsupported"
  | "internal"
  | "method"
  | "database_unavailable"
  | "not_initialized"
  | "database_behind",
  [number, string, string]
> = {
  invalid: [422, "validation-error", "The request is not valid"],
  malformed: [400, "malformed-request", "The request body is not valid JSON"],
  unauthorized: [401, "unauthorized", "Authentication required"],
  forbidden: [403, "forbidden", "Not allowed for this token's role"],
  not_found: [404, "not-found", "Not found"],
  method: [405, "method-not-allowed", "Method not allowed"],
  conflict: [409, "conflict", "Conflict"],
  too_large: [413, "payload-too-large", "The request body is too large"],
  unsupported: [415, "unsupported-media-type", "The request body must be JSON"],
  rate_limited: [429, "too-many-requests", "Too many requests"],
  internal: [500, "internal-error", "Internal server error"],
  database_unavailable: [503, "database-unavailable", "The database is unavailable"],
  not_initialized: [503, "not-initialized", "Herald is not set up on this database"],
  database_behind: [503, "database-behind", "The database needs migrating"],
};

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export function problem(c: Context, kind: ProblemKind, detail: string, errors?: FieldError[]): Response {
  const [status, slug, title] = PROBLEM_TYPES[kind];
  const body: Problem = { type: `/problems/${slug}`, title, status, detail, instance: c.req.path };
  if (errors && errors.length > 0) body.errors = errors;
  const response = c.body(JSON.stringify(body), status as ContentfulStatusCode, {
    "Content-Type": "application/problem+json; charset=utf-8",
  });
  if (kind === "unauthorized") response.headers.set("WWW-Authenticate", 'Bearer realm="herald"');
  return response;
}
