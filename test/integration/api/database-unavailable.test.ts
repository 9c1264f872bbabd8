import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { systemClock } from "../../../core/actions/clock.ts";
import { ensurePage } from "../../../core/page/get-page.ts";
import { databaseTrouble, retryingWhileBusy } from "../../../db/availability.ts";
import { createDb, type Db } from "../../../db/client.ts";
import { migrateDb } from "../../../server/migrate.ts";
import { type Sqld, startSqld } from "../../helpers/sqld.ts";

/* The Node app on a remote libSQL server (sqld) that goes away: the same 503 answers the Worker gives. */

describe("the API when its remote database is unavailable", () => {
  let dataDir = "";
  let sqld: Sqld | null = null;
  let db: Db | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "herald-unavailable-"));
    sqld = await startSqld(dataDir);
    db = createDb({ url: sqld.url });
    await migrateDb(db, join(import.meta.dirname, "../../../db/migrations"));
    await ensurePage(db, systemClock, { name: "Node Status", url: "https://status.node.test" });
  }, 30_000);

  afterAll(async () => {
    db?.$client.close();
    await sqld?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers 503 problem+json with Retry-After while sqld is down, and serves again once it is back", async () => {
    if (!db || !sqld) throw new Error("not started");
    const logged: unknown[] = [];
    const app = createApp({ db, clock: systemClock, log: (line) => logged.push(line) });
    expect((await app.request("/api/v2/status.json")).status).toBe(200);

    await sqld.stop();
    const down = await app.request("/api/v2/status.json");
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await down.json()).toMatchObject({ type: "/problems/database-unavailable", status: 503 });
    expect((await app.request("/readyz")).status).toBe(503);
    expect((await app.request("/healthz")).status).toBe(200);
    // One line naming the cause, never a stack or the failed query's parameters.
    expect(logged.every((line) => typeof line === "string" && line.startsWith("database unavailable:"))).toBe(true);

    await sqld.startAgain();
    expect((await app.request("/api/v2/status.json")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
  }, 30_000);

  it("tries a call again while the server refuses it as busy (HTTP 429), and not a failure of another kind", async () => {
    let calls = 0;
    const busyTwice = {
      execute: async () => {
        calls++;
        if (calls <= 2) {
          const refusal = Object.assign(new Error("Server returned HTTP status 429"), { status: 429 });
          throw Object.assign(new Error("SERVER_ERROR: Server returned HTTP status 429", { cause: refusal }), {
            code: "SERVER_ERROR",
          });
        }
        return { rows: [], columns: [] };
      },
    } as unknown as Client;
    await retryingWhileBusy(busyTwice).execute("SELECT 1");
    expect(calls).toBe(3);

    let failures = 0;
    const broken = {
      execute: async () => {
        failures++;
        throw new Error("SQLITE_ERROR: no such table: nothing");
      },
    } as unknown as Client;
    await expect(retryingWhileBusy(broken).execute("SELECT 1")).rejects.toThrow(/no such table/);
    expect(failures).toBe(1);
  });

  it("counts sqld's 404 (its database taken out, as when it stops) as unreachable, not as a bug", () => {
    const notFound = Object.assign(new Error("Server returned HTTP status 404"), { status: 404 });
    const error = Object.assign(new Error("SERVER_ERROR: Server returned HTTP status 404", { cause: notFound }), {
      code: "SERVER_ERROR",
    });
    expect(databaseTrouble(new Error("Failed query", { cause: error }))).toBe("unreachable");
  });
});
