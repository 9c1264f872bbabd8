import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { getPage } from "../../core/page/get-page.ts";
import { startNewDay } from "../../core/page/start-new-day.ts";
import { jobs } from "../../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../helpers/database.ts";

let testDb: TestDb;
const clock = manualClock("2026-11-26T23:50:00.000Z");

beforeEach(async () => {
  testDb = await createTestDb();
  await setupPage(testDb.db, clock);
});
afterEach(() => testDb.cleanup());

describe("a new UTC day", () => {
  it("moves a quiet page into today once, so today's uptime bar appears", async () => {
    const ctx = contextFor(testDb.db, clock);
    expect(await run(ctx, startNewDay, {})).toBe(false);
    clock.advance(20 * 60_000);
    expect(await run(ctx, startNewDay, {})).toBe(true);
    expect((await getPage(testDb.db)).updatedAt).toBe("2026-11-27T00:10:00.000Z");
    expect(await testDb.db.select().from(jobs).where(eq(jobs.kind, "render"))).toHaveLength(1);
    expect(await run(ctx, startNewDay, {})).toBe(false);
  });
});
