import type { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../core/actions/authorize.ts";
import type { Clock } from "../core/actions/clock.ts";
import type { ActionContext, Role } from "../core/actions/context.ts";
import { HeraldError } from "../core/actions/errors.ts";
import { webhooksOpenApi } from "../core/notifications/webhook/openapi.ts";
import type { Db } from "../db/client.ts";
import { readJsonBody } from "./json-body.ts";
import type { AuthVariables, ClientAddress } from "./middleware/auth.ts";
import { problem } from "./problem.ts";
import { noteCommits } from "./written.ts";

export type RouteRequest = { params: Record<string, string>; query: Record<string, string>; body: unknown };
export type RouteResult =
  | { status: 200 | 201 | 204; body?: unknown }
  /** A streamed download (a CSV export): sent as it is produced, never held whole in memory. */
  | { status: 200; stream: ReadableStream<Uint8Array>; contentType: string; filename: string };

/** One admin API operation: registered on the app and described in the OpenAPI document from the same spec. */
export type AdminRoute = {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI style: `/api/incidents/{id}`. */
  path: string;
  summary: string;
  role: Role;
  tag: string;
  body?: z.ZodType;
  /** Fields of `body` (or `queryInput`) the path fills: left out of the documented body or query. */
  bodyOmits?: string[];
  /** An operation's input read from the query string: documents its fields as query parameters. */
  queryInput?: z.ZodType;
  /** The answer's schema, for the OpenAPI document. */
  response?: z.ZodType;
  /** A download's media type (its answer is text of that type, not JSON). */
  produces?: string;
  responseDescription: string;
  /** The documented success status when it is not the method's usual one (the intake answers 202). */
  successStatus?: number;
  /** Further problem answers to document, by status (the intake's 413, its 422 for a foreign payload). */
  problems?: Record<string, string>;
  handle(ctx: ActionContext, request: RouteRequest): Promise<RouteResult>;
};

export type AppDeps = {
  db: Db;
  clock: Clock;
  onCommit?: (() => void) | undefined;
  /** The client's address, from the transport; failed authentications are limited per address. */
  clientAddress?: ClientAddress | undefined;
  /** Page configuration (team address, default cadence), read by actions through `core/scheduler/settings.ts`. */
  settings?: ActionContext["settings"];
  /** Alert deliveries one at a time (api/routes/intake.ts): set by the Node server on a local database file. */
  serializeIntake?: boolean | undefined;
};

export function registerAdminRoutes(
  app: Hono<{ Variables: AuthVariables }>,
  routes: AdminRoute[],
  deps: AppDeps,
): void {
  for (const route of routes) {
    const honoPath = route.path.replace(/\{(\w+)\}/g, ":$1");
    app.on(route.method.toUpperCase(), honoPath, async (c) => {
      const ctx: ActionContext = {
        db: deps.db,
        clock: deps.clock,
        actor: c.get("actor"),
        onCommit: noteCommits(c, deps.onCommit),
        settings: deps.settings,
      };
      try {
        requireRole(ctx, route.role, route.summary.toLowerCase());
        let body: unknown;
        if (route.body) {
          const read = await readJsonBody(c);
          if (!read.ok) return read.response;
          body = read.value;
        }
        const result = await route.handle(ctx, {
          params: c.req.param() as Record<string, string>,
          query: c.req.query(),
          body,
        });
        if (result.status === 204) return c.body(null, 204);
        if ("stream" in result) {
          return c.body(result.stream, 200, {
            "Content-Type": result.contentType,
            "Content-Disposition": `attachment; filename="${result.filename}"`,
          });
        }
        return c.json(result.body, result.status);
      } catch (error) {
        if (error instanceof HeraldError) return problem(c, error.kind, error.message, error.fieldErrors);
        throw error;
      }
    });
  }
}

export function openApiDocument(routes: AdminRoute[], publicPaths: string[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const problemResponse = (description: string) => ({
    description,
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  });
  for (const route of routes) {
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: "path",
        required: true,
        schema: { type: "string" },
      })),
      ...routeQueryParameters(route),
    ];
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      description:
        route.role === "automation"
          ? "Requires the alert source's own token (role automation), as `Authorization: Bearer <token>`."
          : `Requires a ${route.role} token (or a more powerful one).`,
      security: [{ bearer: [] }],
      parameters,
      responses: {
        [route.successStatus ?? (route.method === "post" ? "201" : route.method === "delete" ? "204" : "200")]: {
          description: route.responseDescription,
          ...(route.response
            ? { content: { "application/json": { schema: jsonSchema(route.response, "output") } } }
            : {}),
          ...(route.produces ? { content: { [route.produces]: { schema: { type: "string" } } } } : {}),
        },
        "401": problemResponse("missing or invalid token"),
        "403": problemResponse("the token's role may not do this"),
        "429": problemResponse("too many wrong tokens from this address; retry after `Retry-After` seconds"),
        ...(route.path.includes("{") ? { "404": problemResponse("not found") } : {}),
        ...(route.body
          ? {
              "400": problemResponse("malformed JSON, or not UTF-8"),
              "415": problemResponse("the body is not sent as application/json"),
              "422": problemResponse("invalid fields, listed in `errors`"),
            }
          : {}),
        ...Object.fromEntries(
          Object.entries(route.problems ?? {}).map(([status, why]) => [status, problemResponse(why)]),
        ),
      },
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: {
          "application/json": { schema: routeBodySchema(route) },
        },
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  for (const path of publicPaths) {
    paths[path] = {
      get: {
        summary: `Statuspage-compatible ${path.slice(8)}`,
        tags: ["public (Statuspage v2)"],
        security: [],
        responses: { "200": { description: "the Statuspage v2 document", content: { "application/json": {} } } },
      },
    };
  }
  const webhooks = webhooksOpenApi();
  return {
    openapi: "3.1.0",
    info: {
      title: "Herald API",
      version: "1",
      description:
        "Admin REST API for incidents, maintenances and components, the public Statuspage v2 API, and the payloads Herald POSTs to `json` webhooks. Errors are RFC 9457 problem+json.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        ...webhooks.schemas,
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            errors: {
              type: "array",
              items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } },
            },
          },
        },
      },
    },
    paths,
    webhooks: webhooks.webhooks,
  };
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

/** The JSON body a route documents: its input schema without the fields its path fills. */
export function routeBodySchema(route: Pick<AdminRoute, "body" | "bodyOmits">): JsonSchema {
  return route.body ? withoutFields(jsonSchema(route.body, "input"), route.bodyOmits ?? []) : {};
}

/** A body's schema without the fields the path gives. */
function withoutFields(schema: JsonSchema, names: string[]): JsonSchema {
  if (names.length === 0) return schema;
  const properties = schema.properties;
  const required = schema.required;
  return {
    ...schema,
    ...(typeof properties === "object" && properties !== null
      ? { properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !names.includes(name))) }
      : {}),
    ...(Array.isArray(required) ? { required: required.filter((name) => !names.includes(String(name))) } : {}),
  };
}

/** A route's OpenAPI query parameters: the fields of an operation's input read from the query. */
export function routeQueryParameters(route: Pick<AdminRoute, "queryInput" | "bodyOmits">): JsonSchema[] {
  return route.queryInput ? inputQueryParameters(route.queryInput, route.bodyOmits ?? []) : [];
}

/** OpenAPI query parameters for an operation whose input is read from the query string. */
function inputQueryParameters(input: z.ZodType, omit: string[]): JsonSchema[] {
  const output = propertiesOf(jsonSchema(input, "output"));
  const sent = propertiesOf(jsonSchema(input, "input"));
  return Object.entries(output)
    .filter(([name]) => !omit.includes(name))
    .map(([name, property]) => {
      // The parsed type (an integer, a boolean) documents a parameter best; a transform's input says what to send.
      const { description, ...rest } = ("type" in property ? property : (sent[name] ?? property)) as JsonSchema;
      return { name, in: "query", required: false, description, schema: rest };
    });
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const { properties } = schema;
  return typeof properties === "object" && properties !== null ? (properties as Record<string, JsonSchema>) : {};
}
