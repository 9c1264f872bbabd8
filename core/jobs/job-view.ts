import { z } from "zod";
import type { jobs } from "../../db/schema.ts";
import { isJobKind, maxAttempts } from "../changes/outbox.ts";

export type JobRow = typeof jobs.$inferSelect;
export type JobState = JobRow["state"];

/** An outbox job as the admin API shows it. */
export type JobView = {
  id: string;
  kind: string;
  state: JobState;
  dedupe_key: string;
  payload: Record<string, unknown>;
  /** Failed attempts so far, and how many the kind gets before the job is dead (null: a kind this version does not know). */
  attempts: number;
  max_attempts: number | null;
  run_at: string;
  created_at: string;
  died_at: string | null;
  last_error: string | null;
};

/** `JobView` as a schema, for the OpenAPI document (the routes' `respond` typing keeps the two in step). */
export const jobViewSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  state: z.enum(["pending", "dead"]),
  dedupe_key: z.string(),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.int(),
  max_attempts: z.int().nullable(),
  run_at: z.string(),
  created_at: z.string(),
  died_at: z.string().nullable(),
  last_error: z.string().nullable(),
});

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    dedupe_key: row.dedupeKey,
    payload: row.payload,
    attempts: row.attempts,
    max_attempts: isJobKind(row.kind) ? maxAttempts(row.kind) : null,
    run_at: row.runAt,
    created_at: row.createdAt,
    died_at: row.diedAt,
    last_error: row.lastError,
  };
}
