import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { notificationEvents } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";
import { addSubscribers } from "../../helpers/subscribers.ts";

/*
 * Found by the consistency check (test/consistency/, seed 1 step 12): an incident opened without
 * components is about the whole page, and `scopeTakesEvent` says every scope takes such an event, but
 * fan-out matched only whole-page subscribers, so a reader who chose "API" never heard of an outage of
 * everything.
 */

let t: TestDb;
const clock = manualClock();

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
});
afterEach(async () => t.cleanup());

it("an incident naming no component reaches subscribers scoped to a component too", async () => {
  const ctx = contextFor(t.db, clock);
  const api = await run(ctx, createComponent, { name: "API" });
  await addSubscribers(t.db, 2, { prefix: "a" });
  await addSubscribers(t.db, 3, { prefix: "c", components: [api.id] });
  await openIncidentNow(ctx, { name: "Everything is down", body: "We are investigating." });
  const [event] = await t.db.select().from(notificationEvents);
  if (!event) throw new Error("no event");
  expect(event.componentIds).toEqual([]);

  expect(await fanOut(t.db, clock, event.id)).toBe(5);
  const [count] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM deliveries`);
  expect(count?.n).toBe(5);
});
