import type { z } from "zod";
import type { AnyOperation, InputOf, ResultOf } from "../core/actions/define.ts";
import { invalid } from "../core/actions/errors.ts";
import { runUnchecked } from "../core/actions/run.ts";
import type { AdminRoute, RouteRequest } from "./admin-route.ts";

type Method = AdminRoute["method"];

/** Where an operation's input comes from besides the path's `{names}` (which always fill the fields of those names). */
export type InputSource = "body" | "query" | "path";

type Reply<O extends AnyOperation, R extends z.ZodType> =
  /** 204: nothing is sent back. */
  | { status: 204 }
  /** The answer, shaped from the result and typed by the response schema. */
  | { status: 200 | 201; response: R; respond: (result: ResultOf<O>) => z.input<R> }
  /** A download (a CSV export): text of the media type `produces`, streamed under `filename`. */
  | {
      status: 200;
      produces: string;
      filename: string;
      download: (result: ResultOf<O>) => ReadableStream<Uint8Array>;
    };

export type OperationRouteSpec<O extends AnyOperation, R extends z.ZodType> = {
  method: Method;
  /** OpenAPI style: `/api/incidents/{id}`; each `{name}` is the operation's input field `name`. */
  path: string;
  summary: string;
  tag: string;
  responseDescription: string;
  /** Default: the JSON body for post, put and patch; the query for get; the path alone for delete. */
  from?: InputSource;
} & Reply<O, R>;

/** An admin route made from an operation: the role, the input schema and the answer come from the definition. */
export type OperationRoute<O extends AnyOperation, R extends z.ZodType> = AdminRoute & {
  operation: O;
  from: InputSource;
  /** Types the CLI's client: what an answer of this route parses to. */
  responseType?: R;
};

export function pathNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name ?? "");
}

export function operationRoute<O extends AnyOperation, R extends z.ZodType = z.ZodNever>(
  operation: O,
  spec: OperationRouteSpec<O, R>,
): OperationRoute<O, R> {
  const from = spec.from ?? (spec.method === "get" ? "query" : spec.method === "delete" ? "path" : "body");
  const names = pathNames(spec.path);
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tag: spec.tag,
    // An admin route always needs a token: a public operation's route takes any.
    role: operation.role === "public" ? "viewer" : operation.role,
    responseDescription: spec.responseDescription,
    // A delete that answers with a body (how many sessions ended) documents its 200.
    ...(spec.method === "delete" && spec.status !== 204 ? { successStatus: spec.status } : {}),
    operation,
    from,
    ...(from === "body" ? { body: operation.input, bodyOmits: names } : {}),
    ...(from === "query" ? { queryInput: operation.input, bodyOmits: names } : {}),
    ...("response" in spec ? { response: spec.response } : {}),
    ...("produces" in spec ? { produces: spec.produces } : {}),
    handle: async (ctx, request) => {
      const result = await runUnchecked(ctx, operation, inputOf(request, from), from === "query" ? "query" : undefined);
      if (spec.status === 204) return { status: 204 };
      if ("download" in spec) {
        const { produces: contentType, filename } = spec;
        return { status: 200, stream: spec.download(result), contentType, filename };
      }
      return { status: spec.status, body: spec.respond(result) };
    },
  };
}

/**
 * The fields the path names beside the body's or query's own (a body that is not an object is parsed as
 * it is). A body naming a path field is refused as any unknown field is: the path says which one.
 */
function inputOf(request: RouteRequest, from: InputSource): unknown {
  const { params } = request;
  if (from === "path") return params;
  const sent: unknown = from === "query" ? request.query : request.body;
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) return sent;
  const named = from === "body" ? Object.keys(params).filter((name) => Object.hasOwn(sent, name)) : [];
  if (named.length > 0) {
    const message = `unknown field(s): ${named.join(", ")}`;
    throw invalid(`The request is not valid: (body): ${message}`, [{ path: "(body)", message }]);
  }
  return { ...sent, ...params };
}

/** Fills a route's path from a typed input: what the CLI's client sends, the rest of the input beside it. */
export function requestFor<O extends AnyOperation>(
  route: OperationRoute<O, z.ZodType>,
  input: InputOf<O>,
): { path: string; rest: Record<string, unknown> } {
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(String(value ?? ""));
  });
  return { path, rest };
}
