import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { jobs } from "../../db/schema.ts";
import { newId } from "../model/ids.ts";

/**
 * The outbox's job kinds. Adding a kind (notify, deliver, schedule, backup) is one entry here (its
 * payload schema and how many attempts it gets) and one handler in `jobs/handlers/`: the runner's
 * handler table is typed from this list, so a kind without a handler does not compile.
 */
export const JOB_KINDS = {
  /** Re-render the public routes a change touched. */
  render: {
    payload: z
      .object({
        incidents: z.array(z.string()).optional(),
        components: z.array(z.string()).optional(),
        /** History months (`YYYY-MM`) whose pages list a changed incident. */
        months: z.array(z.string()).optional(),
        full: z.boolean().optional(),
      })
      .strict(),
    maxAttempts: 10,
  },
  /** Fan one notification event out into deliveries (one per matching subscriber); the sender sends them. */
  notify: {
    payload: z.object({ eventId: z.string().min(1) }).strict(),
    maxAttempts: 20,
  },
  /** Evaluate the firing alerts against the rules (core/alerts/automation/evaluate.ts): move components, draft incidents. */
  evaluate_alerts: {
    payload: z.object({}).strict(),
    maxAttempts: 20,
  },
  /** Mail one person their invitation or sign-in link (core/people/); the link is derived again from the row id. */
  person_mail: {
    payload: z.object({ purpose: z.enum(["invitation", "sign-in"]), id: z.string().min(1) }).strict(),
    maxAttempts: 10,
  },
} satisfies Record<string, { payload: z.ZodType<Record<string, unknown>>; maxAttempts: number }>;

export type JobKind = keyof typeof JOB_KINDS;
export type JobPayloads = { [K in JobKind]: z.output<(typeof JOB_KINDS)[K]["payload"]> };
export type JobPayload<K extends JobKind> = JobPayloads[K];

/** What a published change touched, so the renderer re-renders only those routes. */
export type RenderTopics = JobPayload<"render">;

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOB_KINDS, kind);
}

export const JOB_KIND_NAMES: JobKind[] = Object.keys(JOB_KINDS).filter(isJobKind);

/** A job of one kind to write in a change's batch. */
export type OutboxJobOf<K extends JobKind> = {
  kind: K;
  payload: JobPayload<K>;
  /** Unique among pending and dead jobs: writing the same key twice inserts the job once. */
  dedupeKey: string;
  /** When it becomes due; the commit time when absent. */
  runAt?: string | undefined;
};

/** A job to write in a change's batch. */
export type OutboxJob = { [K in JobKind]: OutboxJobOf<K> }[JobKind];

/**
 * A job of `kind`. `key` makes it idempotent (e.g. `notify:<update id>`: a retried request or a
 * repeated tick queues it once); without one the job is unique to this call.
 */
export function outboxJob<K extends JobKind>(
  kind: K,
  payload: JobPayload<K>,
  options: { key?: string | undefined; runAt?: string | undefined } = {},
): OutboxJobOf<K> {
  return { kind, payload, dedupeKey: `${kind}:${options.key ?? newId()}`, runAt: options.runAt };
}

/** The insert of a job; a dedupe key already pending or dead makes it a no-op. */
export function jobInsert(db: Db, job: OutboxJob, now: string) {
  return db
    .insert(jobs)
    .values({
      id: newId(),
      kind: job.kind,
      dedupeKey: job.dedupeKey,
      payload: job.payload,
      runAt: job.runAt ?? now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey });
}

type JobSpecs = { [K in JobKind]: { payload: z.ZodType<JobPayloads[K]>; maxAttempts: number } };
const SPECS: JobSpecs = JOB_KINDS;

/** Reads a stored payload as its kind's type, or says why it cannot be one. */
export function parseJobPayload<K extends JobKind>(
  kind: K,
  stored: unknown,
): { ok: true; payload: JobPayloads[K] } | { ok: false; error: string } {
  const result = SPECS[kind].payload.safeParse(stored);
  if (result.success) return { ok: true, payload: result.data };
  return {
    ok: false,
    error: `The payload is not a valid ${kind} job: ${result.error.issues
      .map((issue) => `${issue.path.map(String).join(".") || "(payload)"}: ${issue.message}`)
      .join("; ")}`,
  };
}

export function maxAttempts(kind: JobKind): number {
  return SPECS[kind].maxAttempts;
}
