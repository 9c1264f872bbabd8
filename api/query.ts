import { z } from "zod";
import { invalid } from "../core/actions/errors.ts";

export {
  booleanParam,
  enumParam,
  intParam,
  intParamWithDefault,
  timeParam,
} from "../core/actions/query-params.ts";

/**
 * Query parameters of the admin API, declared once per route: the same declaration parses the query
 * (a bad value is a 422 naming the parameter, never a 500) and describes it in the OpenAPI document.
 * Parameters a route does not declare are ignored.
 */
export type QueryParam = z.ZodType<unknown, string | undefined>;
export type QuerySpec = Record<string, QueryParam>;
export type QueryValues<S extends QuerySpec> = z.output<z.ZodObject<S>>;

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
