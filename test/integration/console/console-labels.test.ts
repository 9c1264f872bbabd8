import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { openIncident } from "../../../core/incidents/open-incident.ts";
import { createToken } from "../../../core/tokens/create-token.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

const ORIGIN = "http://herald.test";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;
let cookie: string;

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  const token = (await createToken(contextFor(testDb.db, clock), { name: "viewer", role: "viewer" })).token;
  app = createApp({ db: testDb.db, clock, log: () => {} });
  const signedIn = await app.request(`${ORIGIN}/admin/sign-in`, {
    method: "POST",
    headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
});
afterEach(() => testDb.cleanup());

const screen = async (path: string) => (await app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } })).text();
const words = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

describe("the console names statuses as every other surface does", () => {
  it("an incident set to no impact reads 'No impact', never 'No impact impact'", async () => {
    const opened = await openIncident(contextFor(testDb.db, clock), { name: "Cosmetic glitch", impact: "none" });
    for (const path of ["/admin", `/admin/incidents/${opened.id}`]) {
      const text = words(await screen(path));
      expect(text, path).toContain("No impact");
      expect(text, path).not.toMatch(/impact impact/i);
    }
  });
});
