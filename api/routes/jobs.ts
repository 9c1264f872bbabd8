import { z } from "zod";
import { jobViewSchema } from "../../core/jobs/job-view.ts";
import { listJobs } from "../../core/jobs/list-jobs.ts";
import { retryJob } from "../../core/jobs/retry-job.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "jobs";

export const listJobsRoute = operationRoute(listJobs, {
  method: "get",
  path: "/api/jobs",
  summary: "List outbox jobs (state=dead: the ones out of attempts)",
  tag,
  status: 200,
  response: z.array(jobViewSchema),
  respond: (jobs) => jobs,
  responseDescription: "jobs newest first, with their attempts and last error",
});

export const retryJobRoute = operationRoute(retryJob, {
  method: "post",
  path: "/api/jobs/{id}/retry",
  summary: "Run a dead job again (audited)",
  tag,
  from: "path",
  status: 200,
  response: jobViewSchema,
  respond: (job) => job,
  responseDescription: "the job, pending again",
});

export const jobRoutes: AdminRoute[] = [listJobsRoute, retryJobRoute];
