import { invalid } from "../../core/errors.ts";
import { listJobs } from "../../core/jobs/list-jobs.ts";
import { retryJob } from "../../core/jobs/retry-job.ts";
import type { AdminRoute } from "../admin-route.ts";

const tag = "jobs";

export const jobRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/jobs",
    summary: "List outbox jobs (state=dead: the ones out of attempts)",
    role: "admin",
    tag,
    query: { state: "pending or dead", kind: "a job kind, e.g. render", limit: "1-500 (default 100)" },
    responseDescription: "jobs newest first, with their attempts and last error",
    handle: async (ctx, { query }) => {
      const { kind } = query;
      const state = query.state === "pending" || query.state === "dead" ? query.state : undefined;
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      const errors = [
        ...(query.state === undefined || state ? [] : [{ path: "state", message: "pending or dead" }]),
        ...(Number.isInteger(limit) && limit >= 1 && limit <= 500
          ? []
          : [{ path: "limit", message: "a whole number from 1 to 500" }]),
      ];
      if (errors.length > 0) throw invalid("The query is not valid.", errors);
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
