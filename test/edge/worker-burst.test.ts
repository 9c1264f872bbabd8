import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { createDb, type Db } from "../../db/client.ts";
import { migrateDb } from "../../server/migrate.ts";
import { openIncidentNow } from "../helpers/actions.ts";
import { type HeraldWorker, startHeraldWorker } from "../helpers/herald-worker.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * The Worker under concurrent load: bursts of 255 mixed requests at once (admin reads and writes, the console,
 * the public subscribe API and the v2 JSON) against Herald's Workers entry in real workerd on a real sqld.
 * Each subscribe comes from its own client address (CF-Connecting-IP), as a crowd does, so the per-address
 * limit is not what answers and every accepted subscription can be checked for in the database.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BURSTS = 3;
const UPDATES_PER_BURST = 25;
const API_STATUS_CHANGES = 15;
const CONSOLE_STATUS_CHANGES = 10;
const STATUSES = ["degraded_performance", "partial_outage", "major_outage", "operational"] as const;

type Call = { label: string; expect: number; send: () => Promise<Response> };
type Outcome = { label: string; status: number | null; failure?: string };

describe("the Worker in workerd under bursts of concurrent mixed requests", () => {
  let dataDir = "";
  let sqld: Sqld | null = null;
  let db: Db | null = null;
  let worker: HeraldWorker | null = null;
  let base = "";
  let token = "";
  let cookie = "";
  let csrf = "";
  const componentIds: string[] = [];
  const incidentIds: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "herald-burst-"));
    // A server facing Workers takes more than sqld's default 128 requests at once (past it: 429s, retried). The
    // helper starts sqld with periodic checkpoints: with SQLite's autocheckpoint, sqld 0.24.32's write queue
    // could hand the write lock to a connection that had stopped waiting, and then spin forever (3 of 9 runs).
    sqld = await startSqld(dataDir, { maxConcurrency: 1024 });
    db = createDb({ url: sqld.url });
    await migrateDb(db, join(ROOT, "db/migrations"));
    const ctx: ActionContext = { db, clock: systemClock, actor: SYSTEM_ACTOR };
    await ensurePage(db, systemClock, { name: "Burst Status", url: "https://status.burst.test" });
    token = (await run(ctx, createToken, { name: "burst admin", role: "admin" })).token;
    for (let i = 0; i < API_STATUS_CHANGES + CONSOLE_STATUS_CHANGES; i++) {
      componentIds.push((await run(ctx, createComponent, { name: `Service ${i}` })).id);
    }
    const seeded = await Promise.all(
      Array.from({ length: BURSTS * UPDATES_PER_BURST }, (_, i) =>
        openIncidentNow(ctx, { name: `Standing incident ${i}` }),
      ),
    );
    incidentIds.push(...seeded.map((incident) => incident.id));
    // Every update of the bursts goes to an incident of its own: two updates racing on one incident may
    // rightly end in a 409 (the second was planned from a timeline the first changed).
    worker = await startHeraldWorker(sqld.url, join(dataDir, "wrangler-state"));
    base = worker.url;

    const signIn = await fetch(`${base}/admin/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    expect(signIn.status).toBe(303);
    cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const dashboard = await fetch(`${base}/admin`, { headers: { Cookie: cookie } });
    csrf = /name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "";
    expect(csrf).not.toBe("");
  }, 60_000);

  afterAll(async () => {
    await worker?.dispose();
    db?.$client.close();
    await sqld?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers },
    });
  const get = (path: string) => () => admin(path);
  const times = (n: number, make: (i: number) => Call): Call[] => Array.from({ length: n }, (_, i) => make(i));

  function burst(b: number): Call[] {
    const status = STATUSES[b % STATUSES.length] ?? "operational";
    return [
      ...times(40, () => ({ label: "GET /api/incidents", expect: 200, send: get("/api/incidents") })),
      ...times(30, () => ({ label: "GET /api/components", expect: 200, send: get("/api/components") })),
      ...times(25, (i) => ({
        label: "POST /api/incidents",
        expect: 201,
        send: () => admin("/api/incidents", { method: "POST", body: JSON.stringify({ name: `burst-${b}-open-${i}` }) }),
      })),
      ...times(UPDATES_PER_BURST, (i) => ({
        label: "POST /api/incidents/{id}/updates",
        expect: 201,
        send: () =>
          admin(`/api/incidents/${incidentIds[b * UPDATES_PER_BURST + i]}/updates`, {
            method: "POST",
            body: JSON.stringify({ status: "identified", body: `burst-${b}-update-${i}` }),
          }),
      })),
      ...times(API_STATUS_CHANGES, (i) => ({
        label: "PATCH /api/components/{id}",
        expect: 200,
        send: () => admin(`/api/components/${componentIds[i]}`, { method: "PATCH", body: JSON.stringify({ status }) }),
      })),
      ...times(20, () => ({
        label: "GET /admin",
        expect: 200,
        send: () => fetch(`${base}/admin`, { headers: { Cookie: cookie } }),
      })),
      ...times(CONSOLE_STATUS_CHANGES, (i) => ({
        label: "POST /admin/components/{id}/status",
        expect: 303,
        send: () =>
          fetch(`${base}/admin/components/${componentIds[API_STATUS_CHANGES + i]}/status`, {
            method: "POST",
            redirect: "manual",
            headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ _csrf: csrf, status }),
          }),
      })),
      ...times(40, (i) => ({
        label: "POST /subscribe",
        expect: 202,
        send: () =>
          fetch(`${base}/subscribe`, {
            method: "POST",
            headers: { "Content-Type": "application/json", "CF-Connecting-IP": `10.${b}.${i}.7` },
            body: JSON.stringify({ email: `burst-${b}-reader-${i}@example.com` }),
          }),
      })),
      ...times(30, () => ({
        label: "GET /api/v2/summary.json",
        expect: 200,
        send: () => fetch(`${base}/api/v2/summary.json`),
      })),
      ...times(20, () => ({
        label: "GET /api/v2/status.json",
        expect: 200,
        send: () => fetch(`${base}/api/v2/status.json`),
      })),
    ];
  }

  async function fire(calls: Call[]): Promise<Outcome[]> {
    // Interleaved, not grouped by kind: reads and writes meet in the isolate at the same time.
    const shuffled = calls.map((call, i) => ({ call, key: (i * 7919) % calls.length })).sort((a, b) => a.key - b.key);
    return Promise.all(
      shuffled.map(async ({ call }): Promise<Outcome> => {
        try {
          const response = await call.send();
          const body = await response.text();
          if (response.status === call.expect) return { label: call.label, status: response.status };
          return { label: call.label, status: response.status, failure: body.slice(0, 300) };
        } catch (error) {
          return { label: call.label, status: null, failure: String(error) };
        }
      }),
    );
  }

  it("answers every request of each burst as it would one at a time, and every write lands exactly once", async () => {
    if (!db) throw new Error("no database");
    for (let b = 0; b < BURSTS; b++) {
      const calls = burst(b);
      expect(calls.length).toBeGreaterThanOrEqual(200);
      const started = performance.now();
      const outcomes = await fire(calls);
      console.log(`burst ${b}: ${calls.length} requests in ${Math.round(performance.now() - started)} ms`);
      const failures = outcomes.filter((o) => o.failure !== undefined);
      expect(failures, `burst ${b}: ${JSON.stringify(failures.slice(0, 5))}`).toEqual([]);
    }

    // Each name, body and address the bursts sent, with how many rows carry it: exactly one each.
    const tally = async (sql: string) =>
      new Map((await db?.$client.execute(sql))?.rows.map((row) => [String(row[0]), Number(row[1])]) ?? []);
    const opened = await tally("SELECT name, count(*) FROM incidents WHERE name LIKE 'burst-%' GROUP BY name");
    const updates = await tally(
      "SELECT body_md, count(*) FROM incident_updates WHERE body_md LIKE 'burst-%' GROUP BY body_md",
    );
    const readers = await tally(
      "SELECT address, count(*) FROM subscribers WHERE address LIKE 'burst-%' GROUP BY address",
    );
    const expected = (make: (b: number, i: number) => string, perBurst: number) =>
      new Map(Array.from({ length: BURSTS * perBurst }, (_, n) => [make(Math.floor(n / perBurst), n % perBurst), 1]));
    expect(opened).toEqual(expected((b, i) => `burst-${b}-open-${i}`, 25));
    expect(updates).toEqual(expected((b, i) => `burst-${b}-update-${i}`, UPDATES_PER_BURST));
    expect(readers).toEqual(expected((b, i) => `burst-${b}-reader-${i}@example.com`, 40));
    const last = STATUSES[(BURSTS - 1) % STATUSES.length];
    const statuses = await db.$client.execute("SELECT id, status FROM components");
    for (const id of componentIds) {
      expect(statuses.rows.find((row) => row.id === id)?.status, id).toBe(last);
    }
  }, 150_000);

  it("stays healthy afterwards: single requests keep answering", async () => {
    for (let i = 0; i < 10; i++) {
      const summary = await fetch(`${base}/api/v2/summary.json`);
      expect(summary.status).toBe(200);
      await summary.arrayBuffer();
      const incidents = await admin("/api/incidents");
      expect(incidents.status).toBe(200);
      await incidents.arrayBuffer();
    }
    const opened = await admin("/api/incidents", {
      method: "POST",
      body: JSON.stringify({ name: "after the bursts" }),
    });
    expect(opened.status).toBe(201);
  });
});
