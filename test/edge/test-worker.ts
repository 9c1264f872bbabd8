import { AsyncLocalStorage } from "node:async_hooks";
import type { ExecutionContext } from "hono";
import type { Clock } from "../../core/actions/clock.ts";
import { currentRequest } from "../../server/request-client.ts";
import { createWorker, type Env } from "../../server/worker.ts";

/**
 * The shipped Worker (server/worker.ts) with a test's clock, for the API suite in workerd (test/helpers/workerd-api.ts).
 * Test-only, never deployed. Each request names, in headers the harness sets:
 * - `x-herald-test-now`: what "now" is (the test's manual clock), read through `currentRequest()`;
 * - `x-herald-test-app`: which test's app serves it: a new value builds a new app, as `createTestApi()` does on
 *   Node, so one test's in-memory state (the v2 cache) never reaches the next;
 * - `x-herald-test-env`: JSON of bindings this test's app runs with (`HERALD_ALLOW_PRIVATE_WEBHOOKS`, ...).
 * A cron run takes "now" from the scheduled event's time (`/cdn-cgi/handler/scheduled?time=…`).
 */
const NOW = "x-herald-test-now";
const APP = "x-herald-test-app";
const ENV = "x-herald-test-env";

const cronTime = new AsyncLocalStorage<Date>();

const testClock: Clock = {
  now() {
    const header = currentRequest()?.headers.get(NOW);
    if (header) return new Date(header);
    return cronTime.getStore() ?? new Date();
  },
};

let current: { app: string; worker: ReturnType<typeof createWorker> } | null = null;

function workerFor(app: string) {
  if (current?.app !== app) current = { app, worker: createWorker({ clock: testClock }) };
  return current.worker;
}

function envFor(request: Request, env: Env): Env {
  const overrides = request.headers.get(ENV);
  return overrides ? { ...env, ...(JSON.parse(overrides) as Partial<Env>) } : env;
}

type ScheduledController = { scheduledTime: number; cron: string };

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return workerFor(request.headers.get(APP) ?? "").fetch(request, envFor(request, env), ctx);
  },
  scheduled(controller: ScheduledController, env: Env): Promise<void> {
    const worker = current?.worker ?? workerFor("");
    return cronTime.run(new Date(controller.scheduledTime), () => worker.scheduled(controller, env));
  },
};
