import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient, type InStatement, LibsqlError } from "@libsql/client";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { deleteIncident } from "../../core/incidents/delete-incident.ts";
import { paths } from "../../core/public/paths.ts";
import type { Db } from "../../db/client.ts";
import * as schema from "../../db/schema.ts";
import { jobs } from "../../db/schema.ts";
import { renderHandler } from "../../jobs/handlers/render.ts";
import { createRenderer, currentSiteDir, type Renderer, routeFile } from "../../jobs/render/index.ts";
import { type JobRunner, startJobRunner } from "../../jobs/runner.ts";
import { openIncidentNow, postUpdateNow } from "../helpers/actions.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../helpers/database.ts";

const SITE_DIST = fileURLToPath(new URL("../../site/dist", import.meta.url));

/**
 * The same database file through a second libSQL client that, while `busy` is set, answers the read of
 * one incident's row the way a locked SQLite database does. The fault sits in the driver, below Herald.
 */
function busyWhileReadingIncident(url: string, incidentId: () => string): { db: Db; busy: { on: boolean } } {
  const busy = { on: false };
  const client = createClient({ url, timeout: 5000 });
  const isIncidentRead = (statement: InStatement) => {
    const sql = typeof statement === "string" ? statement : statement.sql;
    const args = typeof statement === "string" ? [] : statement.args;
    return (
      /from "incidents" where "incidents"\."id" = \?/i.test(sql) && Array.isArray(args) && args[0] === incidentId()
    );
  };
  const failing = new Proxy(client, {
    get(target, property, receiver) {
      if (property === "execute") {
        return (statement: InStatement, ...rest: unknown[]) => {
          if (busy.on && isIncidentRead(statement)) {
            return Promise.reject(new LibsqlError("SQLITE_BUSY: database is locked", "SQLITE_BUSY"));
          }
          return (target.execute as (...a: unknown[]) => unknown)(statement, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) satisfies Client;
  return { db: drizzle(failing, { schema }), busy };
}

let testDb: TestDb;
let renderer: Renderer;
let runner: JobRunner | null = null;
let reader: { db: Db; busy: { on: boolean } };
let incidentId = "";
const clock = manualClock();

const until = async (check: () => Promise<boolean>) => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

const pageFile = () => routeFile(currentSiteDir(dataDir()), paths.incident(incidentId));
const dataDir = () => join(testDb.dir, "data");
// The render jobs: an update also queues its notify job, which this runner does not handle.
const pendingJobs = () => testDb.db.select().from(jobs).where(eq(jobs.kind, "render"));

beforeEach(async () => {
  testDb = await createTestDb();
  await setupPage(testDb.db, clock);
  const ctx = contextFor(testDb.db, clock);
  const api = await run(ctx, createComponent, { name: "API" });
  incidentId = (
    await openIncidentNow(ctx, {
      name: "Slow API",
      body: "We are looking into it.",
      components: { [api.id]: "degraded_performance" },
    })
  ).id;
  reader = busyWhileReadingIncident(testDb.url, () => incidentId);
  await mkdir(dataDir(), { recursive: true });
  renderer = await createRenderer({ db: reader.db, dataDir: dataDir(), siteDist: SITE_DIST });
  await renderer.renderAll();
  await testDb.db.delete(jobs);
});

afterEach(async () => {
  await runner?.stop();
  runner = null;
  await renderer.settled();
  reader.db.$client.close();
  await testDb.cleanup();
});

function startRunner(): JobRunner {
  return startJobRunner({
    db: testDb.db,
    clock,
    pollMs: 10,
    log: () => {},
    handlers: {
      render: renderHandler(renderer),
      notify: async () => {},
      evaluate_alerts: async () => {},
      person_mail: async () => {},
    },
  });
}

describe("a read error while rendering", () => {
  it("keeps the incident page live and retries the render until the update is on it", async () => {
    const before = await readFile(pageFile(), "utf8");
    expect(before).toContain("We are looking into it.");

    reader.busy.on = true;
    await postUpdateNow(contextFor(testDb.db, clock), incidentId, {
      status: "identified",
      body: "Found the slow query.",
    });
    runner = startRunner();
    await until(async () => (await pendingJobs()).some((job) => job.attempts >= 1));

    const [failed] = await pendingJobs();
    expect(failed?.state).toBe("pending");
    expect(failed?.lastError).toMatch(/SQLITE_BUSY|database is locked|failed to render/);
    // The page is the last good one: neither removed nor replaced by an error.
    expect(await readFile(pageFile(), "utf8")).toBe(before);

    reader.busy.on = false;
    clock.advance(60_000);
    runner.wake();
    await until(async () => (await pendingJobs()).length === 0);
    expect(await readFile(pageFile(), "utf8")).toContain("Found the slow query.");
  });

  it("still removes the page of an incident that was deleted", async () => {
    runner = startRunner();
    await run(contextFor(testDb.db, clock), deleteIncident, { id: incidentId });
    runner.wake();
    await until(async () => (await pendingJobs()).length === 0);
    await expect(readFile(pageFile(), "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  });
});
