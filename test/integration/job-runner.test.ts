import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../core/ids.ts";
import { jobs } from "../../db/schema.ts";
import { type JobRow, startJobRunner } from "../../jobs/runner.ts";
import { createTestDb, manualClock, type TestDb } from "../helpers/database.ts";

let testDb: TestDb;
const clock = manualClock();

beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(() => testDb.cleanup());

async function queue(fields: Partial<typeof jobs.$inferInsert> = {}): Promise<string> {
  const id = newId();
  const now = clock.now().toISOString();
  await testDb.db
    .insert(jobs)
    .values({ id, kind: "render", dedupeKey: `test:${id}`, payload: {}, runAt: now, createdAt: now, ...fields });
  return id;
}

const until = async (check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("the outbox job runner", () => {
  it("runs a due job once and deletes it", async () => {
    const seen: string[] = [];
    await queue();
    const runner = startJobRunner({
      db: testDb.db,
      clock,
      pollMs: 10,
      handlers: { render: async (due) => void seen.push(...due.map((j) => j.id)) },
    });
    await until(async () => (await testDb.db.select().from(jobs)).length === 0);
    await runner.stop();
    expect(seen).toHaveLength(1);
  });

  it("keeps a failed job and retries it after a backoff, recording the error", async () => {
    let calls = 0;
    await queue();
    const runner = startJobRunner({
      db: testDb.db,
      clock,
      pollMs: 10,
      log: () => {},
      handlers: {
        render: async () => {
          calls++;
          if (calls === 1) throw new Error("disk full");
        },
      },
    });
    await until(async () => (await testDb.db.select().from(jobs))[0]?.attempts === 1);
    const [failed] = await testDb.db.select().from(jobs);
    expect(failed?.lastError).toContain("disk full");
    expect(failed?.leaseOwner).toBeNull();
    expect(Date.parse(failed?.runAt ?? "")).toBe(clock.now().getTime() + 2000);
    clock.advance(2000);
    runner.wake();
    await until(async () => (await testDb.db.select().from(jobs)).length === 0);
    await runner.stop();
    expect(calls).toBe(2);
  });

  it("runs again a job whose runner died holding it, once its lease expires", async () => {
    const handled: JobRow[] = [];
    await queue({ leaseOwner: "dead-runner", leaseUntil: new Date(clock.now().getTime() + 60_000).toISOString() });
    const runner = startJobRunner({
      db: testDb.db,
      clock,
      pollMs: 10,
      handlers: { render: async (due) => void handled.push(...due) },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(handled).toHaveLength(0);
    clock.advance(61_000);
    await until(() => handled.length === 1);
    await runner.stop();
  });
});
