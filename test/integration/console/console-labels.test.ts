import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { consoleClient } from "../../helpers/console-client.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;
const consoleUser = consoleClient(() => ({ app, testDb, clock }));

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  app = createApp({ db: testDb.db, clock, log: () => {} });
});
afterEach(() => testDb.cleanup());

const words = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

describe("the console names statuses as every other surface does", () => {
  it("an incident set to no impact reads 'No impact', never 'No impact impact'", async () => {
    const opened = await openIncidentNow(contextFor(testDb.db, clock), { name: "Cosmetic glitch", impact: "none" });
    const session = await consoleUser.signIn("viewer");
    for (const path of ["/admin", `/admin/incidents/${opened.id}`]) {
      const text = words(await consoleUser.page(session, path));
      expect(text, path).toContain("No impact");
      expect(text, path).not.toMatch(/impact impact/i);
    }
  });
});
