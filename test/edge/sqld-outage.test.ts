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
import { createDb } from "../../db/client.ts";
import { migrateDb } from "../../server/migrate.ts";
import { openIncidentNow } from "../helpers/actions.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";
import { type HeraldWorker, startHeraldWorker, TEST_HERALD_SECRET } from "../helpers/herald-worker.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * The database goes away for 30 s while the Worker takes writes and a Node runner (Herald's own process, on the
 * same sqld) renders the page: the Worker answers 503 problem+json meanwhile, never 500; the runner stays up;
 * afterwards the Worker takes writes again by itself, and every update it accepted reaches the rendered page.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUTAGE_MS = 30_000;

type Answer = { at: number; status: number; contentType: string; retryAfter: string | null; marker: string };

describe("sqld stopped for 30 s under the Worker and a Node runner", () => {
  let dataDir = "";
  let sqld: Sqld | null = null;
  let worker: HeraldWorker | null = null;
  let herald: HeraldProcess | null = null;
  let token = "";
  let incidentId = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "herald-outage-"));
    sqld = await startSqld(join(dataDir), { maxConcurrency: 1024 });
    const db = createDb({ url: sqld.url });
    await migrateDb(db, join(ROOT, "db/migrations"));
    const ctx: ActionContext = { db, clock: systemClock, actor: SYSTEM_ACTOR };
    await ensurePage(db, systemClock, { name: "Outage Status", url: "https://status.outage.test" });
    token = (await run(ctx, createToken, { name: "outage admin", role: "admin" })).token;
    await run(ctx, createComponent, { name: "API" });
    incidentId = (await openIncidentNow(ctx, { name: "The database is flaky" })).id;
    db.$client.close();
    worker = await startHeraldWorker(sqld.url, join(dataDir, "wrangler-state"));
    herald = await startHeraldProcess(join(dataDir, "herald"), {
      DATABASE_URL: sqld.url,
      PUBLIC_URL: "https://status.outage.test",
      HERALD_SECRET: TEST_HERALD_SECRET,
    });
  }, 90_000);

  afterAll(async () => {
    await herald?.stop();
    await worker?.dispose();
    await sqld?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function post(n: number): Promise<Answer> {
    const marker = `outage-marker-${n}`;
    const started = performance.now();
    try {
      const response = await fetch(`${worker?.url}/api/incidents/${incidentId}/updates`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ status: n % 2 === 0 ? "identified" : "monitoring", body: marker }),
        signal: AbortSignal.timeout(20_000),
      });
      await response.arrayBuffer();
      return {
        at: started,
        status: response.status,
        contentType: response.headers.get("content-type") ?? "",
        retryAfter: response.headers.get("retry-after"),
        marker,
      };
    } catch (error) {
      return { at: started, status: 0, contentType: String(error), retryAfter: null, marker };
    }
  }

  it("answers 503 problem meanwhile, recovers by itself, and every accepted update reaches the page", async () => {
    if (!sqld || !worker || !herald) throw new Error("not started");
    const answers: Answer[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        answers.push(await post(n));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    await new Promise((r) => setTimeout(r, 3_000));
    await sqld.stop();
    const down = performance.now();
    const summaryDuring = await fetch(`${worker.url}/api/v2/summary.json`);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const readyDuring = await fetch(`${worker.url}/readyz`);
    const restarting = performance.now();
    await sqld.startAgain();
    const up = performance.now();
    await new Promise((r) => setTimeout(r, 5_000));
    writing = false;
    await writer;

    expect(summaryDuring.status).toBe(503);
    expect(summaryDuring.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await summaryDuring.json()).toMatchObject({ type: "/problems/database-unavailable", status: 503 });
    expect(readyDuring.status).toBe(503);

    const duringOutage = answers.filter((a) => a.at > down + 1_000 && a.at < restarting);
    expect(duringOutage.length).toBeGreaterThan(10);
    for (const answer of duringOutage) {
      expect(answer.status, JSON.stringify(answer)).toBe(503);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    // Nothing answered 500 or failed to answer at all, before, during or after.
    expect(answers.filter((a) => a.status !== 201 && a.status !== 503)).toEqual([]);
    // The isolate took writes again by itself within seconds of sqld's return.
    const afterwards = answers.filter((a) => a.at > up + 2_000);
    expect(afterwards.length).toBeGreaterThan(0);
    expect(afterwards.every((a) => a.status === 201)).toBe(true);

    // The runner kept going, and the page caught up with every update the Worker accepted.
    expect((await fetch(`${herald.url}/healthz`)).status).toBe(200);
    expect(herald.output()).not.toMatch(/uncaught|unhandled/i);
    const accepted = answers.filter((a) => a.status === 201).map((a) => a.marker);
    expect(accepted.length).toBeGreaterThan(10);
    const deadline = performance.now() + 60_000;
    let missing = accepted;
    while (missing.length > 0 && performance.now() < deadline) {
      const page = await fetch(`${herald.url}/incidents/${incidentId}/`).then((r) => r.text());
      missing = accepted.filter((marker) => !page.includes(`${marker}<`));
      if (missing.length > 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(missing).toEqual([]);
  }, 180_000);
});
