import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { createDb, type Db } from "../../db/client.ts";
import { migrateDb } from "../../server/migrate.ts";
import { type HeraldWorker, startHeraldWorker } from "../helpers/herald-worker.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * A Worker deployed before its database is set up: every request but /healthz answers 503 problem+json naming
 * the command that sets it up, and the same isolate serves normally as soon as that command has run.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

type Problem = { type: string; status: number; detail: string };

describe("the Worker on a database that is not set up", () => {
  let dataDir = "";
  let sqld: Sqld | null = null;
  let db: Db | null = null;
  let worker: HeraldWorker | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "herald-readiness-"));
    sqld = await startSqld(dataDir);
    db = createDb({ url: sqld.url });
    worker = await startHeraldWorker(sqld.url, join(dataDir, "wrangler-state"));
  }, 60_000);

  afterAll(async () => {
    await worker?.dispose();
    db?.$client.close();
    await sqld?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function problemAt(path: string): Promise<Problem & { retryAfter: string | null }> {
    const response = await fetch(`${worker?.url}${path}`);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    return { ...((await response.json()) as Problem), retryAfter: response.headers.get("retry-after") };
  }

  it("names herald init on an empty database, herald migrate on an older one, and serves once set up", async () => {
    if (!db || !worker) throw new Error("not started");
    const empty = await problemAt("/api/v2/summary.json");
    expect(empty.type).toBe("/problems/not-initialized");
    expect(empty.detail).toContain('herald init --name "');
    expect(empty.detail).toContain("DATABASE_URL");
    expect(empty.retryAfter).not.toBeNull();
    expect((await problemAt("/api/incidents")).type).toBe("/problems/not-initialized");
    expect((await problemAt("/readyz")).type).toBe("/problems/not-initialized");
    // The cron trigger on the empty database: nothing to schedule, and the run does not fail every minute.
    const cron = new URLSearchParams({ cron: "* * * * *", format: "json" });
    const scheduled = await fetch(`${worker.url}/cdn-cgi/local/scheduled?${cron}`);
    expect(await scheduled.json()).toMatchObject({ outcome: "ok" });
    const live = await fetch(`${worker.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });

    // Set up by an older Herald: its newest migration missing.
    await migrateDb(db, join(ROOT, "db/migrations"));
    const newest = await db.$client.execute("SELECT * FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1");
    const row = newest.rows[0];
    if (!row) throw new Error("no migration recorded");
    await db.$client.execute({
      sql: "DELETE FROM __drizzle_migrations WHERE created_at = ?",
      args: [row.created_at ?? null],
    });
    const behind = await problemAt("/api/v2/status.json");
    expect(behind.type).toBe("/problems/database-behind");
    expect(behind.detail).toContain("herald migrate");

    // Migrated, but no page yet: still herald init.
    await db.$client.execute({
      sql: "INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)",
      args: [row.hash ?? null, row.created_at ?? null],
    });
    expect((await problemAt("/api/v2/status.json")).type).toBe("/problems/not-initialized");

    await ensurePage(db, systemClock, { name: "Ready Status", url: "https://status.ready.test" });
    const status = await fetch(`${worker.url}/api/v2/status.json`);
    expect(status.status).toBe(200);
    expect(((await status.json()) as { page: { name: string } }).page.name).toBe("Ready Status");
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
  }, 60_000);
});
