import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { jobs } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError, notFound } from "../actions/errors.ts";
import { type JobView, jobView } from "./job-view.ts";

/**
 * Runs a dead job again, now, with its kind's full number of attempts; its last error stays visible
 * until it succeeds (then it is deleted like any finished job).
 */
export const retryJob = defineAction({
  name: "job.retry",
  role: "admin",
  doing: "retry jobs",
  input: z.object({ id: z.string().describe("the job's id") }),
  async load(ctx, { id }) {
    const [job] = await ctx.db.select().from(jobs).where(eq(jobs.id, id));
    return { db: ctx.db, job };
  },
  plan({ db, job }, { id }, { now }): Outcome<JobView> {
    if (!job) throw notFound(`There is no job with id "${id}".`);
    if (job.state !== "dead") {
      throw new HeraldError("conflict", `Job "${id}" is not dead: it is pending and will run when due.`);
    }
    const retried = {
      state: "pending" as const,
      attempts: 0,
      runAt: now.toISOString(),
      diedAt: null,
      leaseOwner: null,
      leaseUntil: null,
    };
    const change = {
      statements: [
        db
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
    };
    return { changes: [change], result: jobView({ ...job, ...retried }) };
  },
});
