import type { Db } from "../db/client.ts";
import journal from "../db/migrations/meta/_journal.json" with { type: "json" };
import { type Readiness, readinessOf } from "../db/readiness.ts";

/** When the newest migration this build carries was made: a database without it is behind. */
const NEWEST_MIGRATION_AT = Math.max(...journal.entries.map((entry) => entry.when));

/** The Worker's readiness check: nothing migrates or sets up the database when a Worker starts. */
export function workerReadiness(db: Db): () => Promise<Readiness> {
  return () => readinessOf(db.$client, NEWEST_MIGRATION_AT);
}
