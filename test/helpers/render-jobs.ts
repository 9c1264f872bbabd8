import { eq } from "drizzle-orm";
import type { Clock } from "../../core/actions/clock.ts";
import type { Db } from "../../db/client.ts";
import { jobs } from "../../db/schema.ts";
import { renderHandler } from "../../jobs/handlers/render.ts";
import type { Renderer } from "../../jobs/render/index.ts";
import { type JobRunner, startJobRunner } from "../../jobs/runner.ts";

export type RenderJobs = {
  runner: JobRunner;
  /** Resolves once every render job has run and the pages that follow a change are written. */
  settled(): Promise<void>;
  stop(): Promise<void>;
};

/** The outbox runner with the render handler `herald start` gives it, driving `renderer`. */
export function startRenderJobs(db: Db, clock: Clock, renderer: Renderer): RenderJobs {
  const runner = startJobRunner({
    db,
    clock,
    handlers: {
      render: renderHandler(renderer),
      // These tests watch pages, not mail: notifications are tested with the sender (test/integration/notify/).
      notify: async () => {},
      evaluate_alerts: async () => {},
      person_mail: async () => {},
    },
  });
  return {
    runner,
    async settled() {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const pending = await db.select({ lastError: jobs.lastError }).from(jobs).where(eq(jobs.kind, "render"));
        if (pending.length === 0) break;
        const failed = pending.find((job) => job.lastError);
        if (failed) throw new Error(`A render job failed:\n${failed.lastError}`);
        if (Date.now() > deadline) throw new Error(`${pending.length} render job(s) still pending after 30 s.`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await renderer.settled();
    },
    async stop() {
      await runner.stop();
      await renderer.settled();
    },
  };
}
