import { z } from "zod";
import { listJobs } from "../../core/jobs/list-jobs.ts";
import { retryJob } from "../../core/jobs/retry-job.ts";
import type { AdminRoute } from "../admin-route.ts";
import { enumParam, intParamWithDefault, parseQuery } from "../query.ts";

const tag = "jobs";

const listJobsQuery = {
  state: enumParam("pending, or dead: out of attempts", ["pending", "dead"]),
  kind: z.string().max(64).optional().describe("a job kind, e.g. render"),
  limit: intParamWithDefault("page size", { min: 1, max: 500, default: 100 }),
};

export const jobRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/jobs",
    summary: "List outbox jobs (state=dead: the ones out of attempts)",
    role: "admin",
    tag,
    query: listJobsQuery,
    responseDescription: "jobs newest first, with their attempts and last error",
    handle: async (ctx, { query }) => {
      const { state, kind, limit } = parseQuery(listJobsQuery, query);
      return { status: 200, body: await listJobs(ctx, { state, kind, limit }) };
    },
  },
  {
    method: "post",
    path: "/api/jobs/{id}/retry",
    summary: "Run a dead job again (audited)",
    role: "admin",
    tag,
    responseDescription: "the job, pending again",
    handle: async (ctx, { params }) => ({ status: 200, body: await retryJob(ctx, params.id ?? "") }),
  },
];
