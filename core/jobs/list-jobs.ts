import { and, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { jobs } from "../../db/schema.ts";
import { defineQuery } from "../actions/define.ts";
import { enumParam, intParamWithDefault } from "../actions/query-params.ts";
import { type JobView, jobView } from "./job-view.ts";

/** Outbox jobs, newest first: the dead ones need an operator (fix the cause, then retry them). */
export const listJobs = defineQuery({
  name: "job.list",
  role: "admin",
  doing: "list jobs",
  input: z.object({
    state: enumParam("pending, or dead: out of attempts", ["pending", "dead"]),
    kind: z.string().max(64).optional().describe("a job kind, e.g. render"),
    limit: intParamWithDefault("page size", { min: 1, max: 500, default: 100 }),
  }),
  async read(ctx, filter): Promise<JobView[]> {
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
  },
});
