/** A small client of Herald's REST API that turns problem+json errors into errors a person can read. */
import type { z } from "zod";
import { type OperationRoute, requestFor } from "../api/operation-route.ts";
import type { AnyOperation, InputOf } from "../core/actions/define.ts";

export type FieldError = { path: string; message: string };
export type ProblemBody = { title?: string; detail?: string; errors?: FieldError[] };

/** Herald answered and refused (a 4xx or 5xx): exit code 2. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody | null,
    text: string,
  ) {
    super(
      problem ? `${problem.title ?? "Error"} (HTTP ${status}): ${problem.detail ?? ""}` : `HTTP ${status}: ${text}`,
    );
    this.name = "ApiError";
  }
}

/** Herald could not be reached at all: exit code 3. */
export class UnreachableError extends Error {
  override name = "UnreachableError";
}

export type Api = {
  baseUrl: string;
  /** Sends a JSON request; resolves with the parsed JSON answer (undefined for 204). */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /**
   * Calls an operation's route with typed input (the path's fields fill the path; the rest is the body,
   * or the query of a GET); resolves with the answer as the route's response schema types it.
   */
  run<O extends AnyOperation, R extends z.ZodType>(
    route: OperationRoute<O, R>,
    input: InputOf<O>,
  ): Promise<z.output<R>>;
  /** GETs a text document (a CSV export) as it is. */
  text(path: string): Promise<string>;
};

export function createApiClient(baseUrl: string, token: string | undefined): Api {
  async function send(method: string, path: string, body: unknown, accept: string): Promise<string> {
    const headers: Record<string, string> = { Accept: accept };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      throw new UnreachableError(
        `Cannot reach Herald at ${baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
          "Is it running? Give its address with --url or HERALD_URL.",
      );
    }
    const text = await response.text();
    if (!response.ok) throw new ApiError(response.status, parseProblem(text), text.slice(0, 500));
    return text;
  }
  return {
    baseUrl,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const text = await send(method, path, body, "application/json");
      return (text ? JSON.parse(text) : undefined) as T;
    },
    text: (path) => send("GET", path, undefined, "text/csv, text/plain, */*"),
    async run<O extends AnyOperation, R extends z.ZodType>(route: OperationRoute<O, R>, input: InputOf<O>) {
      const { path, rest } = requestFor(route, input);
      if (route.from !== "query") {
        const text = await send(
          route.method.toUpperCase(),
          path,
          route.from === "body" ? rest : undefined,
          "application/json",
        );
        return (text ? JSON.parse(text) : undefined) as z.output<R>;
      }
      const query = new URLSearchParams(
        Object.entries(rest).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
      );
      const text = await send("GET", query.size > 0 ? `${path}?${query}` : path, undefined, "application/json");
      return JSON.parse(text) as z.output<R>;
    },
  };
}

function parseProblem(text: string): ProblemBody | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as ProblemBody) : null;
  } catch {
    return null;
  }
}
