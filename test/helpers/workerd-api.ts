import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionContext } from "../../core/actions/context.ts";
import { createDb } from "../../db/client.ts";
import type { Env } from "../../server/worker.ts";
import { seedTestApi, type TestApi, type TestApp, testApiOver } from "./api.ts";
import type { manualClock, TestDb } from "./database.ts";
import { TEST_HERALD_SECRET } from "./herald-worker.ts";
import { startExtraDatabase, workerdRuntime } from "./workerd-runtime.ts";

let apps = 0;
/** Test APIs created and not yet cleaned up: a second one at once gets a database of its own. */
let live = 0;

/** The bindings the Worker reads its settings from, as `settings` stands for them on Node. */
function bindingsFor(settings: ActionContext["settings"]): Partial<Env> {
  const env: Partial<Env> = {};
  if (settings?.allowPrivateWebhooks) env.HERALD_ALLOW_PRIVATE_WEBHOOKS = "1";
  if (settings?.teamEmail) env.HERALD_TEAM_EMAIL = settings.teamEmail;
  if (settings?.defaultCadenceMinutes) env.HERALD_DEFAULT_CADENCE_MINUTES = String(settings.defaultCadenceMinutes);
  return env;
}

/** The Worker's cron handler, run by workerd as its trigger would at `at`; throws unless the run succeeded. */
export async function runCron(at: string): Promise<void> {
  const { base } = await workerdRuntime();
  const params = new URLSearchParams({ cron: "* * * * *", time: String(new Date(at).getTime()), format: "json" });
  const response = await fetch(`${base}/cdn-cgi/local/scheduled?${params}`);
  const result = (await response.json()) as { outcome: string };
  if (result.outcome !== "ok") throw new Error(`the cron run at ${at} ended ${result.outcome}`);
}

/** `createTestApi()` in workerd: the file's Worker on sqld, with this test's clock, settings and fresh data. */
export async function createWorkerdTestApi(
  clock: ReturnType<typeof manualClock>,
  settings: ActionContext["settings"],
): Promise<TestApi> {
  const runtime = await workerdRuntime();
  const extra = live > 0 ? await startExtraDatabase() : null;
  if (!extra) await runtime.reset();
  live++;
  const url = extra?.url ?? runtime.databaseUrl;
  const dir = await mkdtemp(join(tmpdir(), "herald-workerd-test-"));
  const db = createDb({ url });
  let cleaned = false;
  const testDb: TestDb = {
    db,
    dir,
    url,
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      live--;
      db.$client.close();
      await extra?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  const tokens = await seedTestApi(testDb, clock);
  const env = { ...bindingsFor(settings), ...(extra ? { DATABASE_URL: extra.url } : {}) };
  const testHeaders = { "x-herald-test-app": String(++apps), "x-herald-test-env": JSON.stringify(env) };
  const app: TestApp = {
    request(path, init = {}) {
      const url = new URL(path, "http://localhost");
      const headers = new Headers(init.headers);
      // A test that plays a browser at the origin it names: the same browser at the Worker's origin.
      for (const name of ["Origin", "Referer"]) {
        const value = headers.get(name);
        if (value?.startsWith(url.origin)) headers.set(name, `${runtime.base}${value.slice(url.origin.length)}`);
      }
      for (const [name, value] of Object.entries(testHeaders)) headers.set(name, value);
      headers.set("x-herald-test-now", clock.now().toISOString());
      // Hono's `app.request` does not follow redirects; neither does a test's request to the Worker.
      return fetch(`${runtime.base}${url.pathname}${url.search}`, { redirect: "manual", ...init, headers });
    },
  };
  return testApiOver(testDb, clock, tokens, app, TEST_HERALD_SECRET);
}
