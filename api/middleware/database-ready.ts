import type { MiddlewareHandler } from "hono";
import type { Readiness } from "../../db/readiness.ts";
import { problem } from "../problem.ts";

/** Paths answered whatever the database's state: the liveness probe. */
const ALWAYS = new Set(["/healthz"]);

const SET_UP_COMMAND = 'herald init --name "Your status page" --url https://status.example.com';

/**
 * Answers 503 problem+json naming the command to run until the database is set up for this build: `herald init`
 * on an empty database, `herald migrate` on one an older Herald set up. Once ready, never asked again in this
 * process (a database does not go back); until then, asked on every request, so it answers as soon as it is set up.
 * Only the settled answer is kept: a request never waits on another's I/O (Workers forbids it).
 */
export function databaseReady(readiness: () => Promise<Readiness>): MiddlewareHandler {
  let ready = false;
  return async (c, next) => {
    if (ready || ALWAYS.has(c.req.path)) return next();
    const found = await readiness();
    if (found.state === "ready") {
      ready = true;
      return next();
    }
    const env = "with DATABASE_URL (and DATABASE_AUTH_TOKEN) set to this database";
    c.header("Retry-After", "30");
    if (found.state === "uninitialized") {
      return problem(
        c,
        "not_initialized",
        `This database has no Herald page yet. Run \`${SET_UP_COMMAND}\` ${env} (add \`--api-url\` with this API's public address when it has its own), then try again.`,
      );
    }
    return problem(
      c,
      "database_behind",
      `This database was set up by an older Herald and lacks migrations this one needs. Run \`herald migrate\` ${env}.`,
    );
  };
}
