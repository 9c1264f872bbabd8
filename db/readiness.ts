import type { Client } from "@libsql/client";

/** Whether a database is set up for this build of Herald. */
export type Readiness =
  | { state: "ready" }
  /** No schema, or the schema without a page: `herald init` has not run on it. */
  | { state: "uninitialized" }
  /** Set up, but by an older Herald: migrations this build was made with are missing. */
  | { state: "behind"; appliedAt: number; expectedAt: number };

/**
 * Reads (in two small statements) whether `client`'s database has every migration up to `expectedAt` (the newest
 * migration's time in the drizzle-kit journal this build carries; drizzle records it as `created_at`) and a page.
 */
export async function readinessOf(client: Client, expectedAt: number): Promise<Readiness> {
  const tables = await client.execute(
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('__drizzle_migrations', 'page')",
  );
  if (Number(tables.rows[0]?.[0] ?? 0) < 2) return { state: "uninitialized" };
  const result = await client.execute(
    "SELECT (SELECT max(created_at) FROM __drizzle_migrations), (SELECT count(*) FROM page)",
  );
  const appliedAt = Number(result.rows[0]?.[0] ?? 0);
  if (appliedAt < expectedAt) return { state: "behind", appliedAt, expectedAt };
  if (Number(result.rows[0]?.[1] ?? 0) === 0) return { state: "uninitialized" };
  return { state: "ready" };
}
