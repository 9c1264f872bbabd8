import { and, desc, eq, type SQL } from "drizzle-orm";
import { jobs } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { type JobState, type JobView, jobView } from "./job-view.ts";

/** Outbox jobs, newest first: the dead ones need an operator (fix the cause, then retry them). */
export async function listJobs(
  ctx: ActionContext,
  filter: { state?: JobState | undefined; kind?: string | undefined; limit: number },
): Promise<JobView[]> {
  requireRole(ctx, "admin", "list jobs");
  const conditions: SQL[] = [];
  if (filter.state) conditions.push(eq(jobs.state, filter.state));
  if (filter.kind) conditions.push(eq(jobs.kind, filter.kind));
  const rows = await ctx.db
    .select()
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(filter.limit);
  return rows.map(jobView);
}
