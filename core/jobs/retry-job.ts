import { and, eq } from "drizzle-orm";
import { jobs } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import { isoNow } from "../actions/clock.ts";
import type { ActionContext } from "../actions/context.ts";
import { HeraldError, notFound } from "../actions/errors.ts";
import { commitChange } from "../changes/commit.ts";
import { type JobView, jobView } from "./job-view.ts";

/**
 * Runs a dead job again, now, with its kind's full number of attempts; its last error stays visible
 * until it succeeds (then it is deleted like any finished job).
 */
export async function retryJob(ctx: ActionContext, id: string): Promise<JobView> {
  requireRole(ctx, "admin", "retry jobs");
  const [job] = await ctx.db.select().from(jobs).where(eq(jobs.id, id));
  if (!job) throw notFound(`There is no job with id "${id}".`);
  if (job.state !== "dead") {
    throw new HeraldError("conflict", `Job "${id}" is not dead: it is pending and will run when due.`);
  }
  const now = isoNow(ctx.clock);
  const retried = {
    state: "pending" as const,
    attempts: 0,
    runAt: now,
    diedAt: null,
    leaseOwner: null,
    leaseUntil: null,
  };
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(jobs)
        .set(retried)
        .where(and(eq(jobs.id, id), eq(jobs.state, "dead"))),
    ],
    audit: {
      action: "job.retry",
      targetType: "job",
      targetId: id,
      details: { kind: job.kind, attempts: job.attempts, died_at: job.diedAt, last_error: job.lastError },
    },
    jobs: [],
  });
  return jobView({ ...job, ...retried });
}
