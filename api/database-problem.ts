import type { Context } from "hono";
import { databaseTrouble } from "../db/availability.ts";
import { problem } from "./problem.ts";
import { changeWasSaved } from "./written.ts";

/** Seconds a client is asked to wait: a busy server drains in about one, a restart takes a few. */
const RETRY_AFTER = { busy: 1, unreachable: 5 } as const;

/**
 * The 503 answer (with `Retry-After`) for a request that failed because the database was busy or out of reach,
 * or null when `error` is not the database's. What the request changed, if anything, is said as for any failure.
 */
export function databaseUnavailable(c: Context, error: unknown): { response: Response; detail: string } | null {
  const trouble = databaseTrouble(error);
  if (trouble === null) return null;
  const why =
    trouble === "busy"
      ? "The database is too busy to take this request right now."
      : "The database cannot be reached right now.";
  const detail = `${why} ${whatChanged(c, trouble)}Try again in a few seconds.`;
  const response = problem(c, "database_unavailable", detail);
  response.headers.set("Retry-After", String(RETRY_AFTER[trouble]));
  return { response, detail };
}

function whatChanged(c: Context, trouble: "busy" | "unreachable"): string {
  if (changeWasSaved(c)) return "Your change was saved before that: reload to see it. ";
  if (c.req.method === "GET" || c.req.method === "HEAD") return "";
  // A busy server ran nothing; a connection lost in flight may have carried a commit.
  return trouble === "busy"
    ? "Nothing was changed. "
    : "If this was a change, check whether it was made before repeating it. ";
}

/**
 * One line for the log: the root cause's message, without a stack (an outage would otherwise flood the log) and
 * without the failed query, whose parameters may carry addresses or token hashes.
 */
export function troubleLine(error: unknown): string {
  let root: unknown = error;
  for (let depth = 0; root instanceof Error && root.cause instanceof Error && depth < 10; depth++) root = root.cause;
  return `database unavailable: ${root instanceof Error ? root.message : String(root)}`;
}
