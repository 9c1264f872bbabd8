import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { getIncident } from "../../../core/incidents/load-incidents.ts";
import { orderComponents } from "../../../core/public/statuspage.ts";
import { listSubscribers } from "../../../core/subscribers/admin/list-subscribers.ts";
import { authenticate } from "../../../core/tokens/authenticate.ts";
import { createToken } from "../../../core/tokens/create-token.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

const ORIGIN = "http://herald.test";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;
let session: { cookie: string; csrf: string };

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  const token = (await run(contextFor(testDb.db, clock), createToken, { name: "admin", role: "admin" })).token;
  app = createApp({ db: testDb.db, clock, log: () => {} });
  const signedIn = await app.request(`${ORIGIN}/admin/sign-in`, {
    method: "POST",
    headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  const cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const page = await (await app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).text();
  session = { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? "" };
});
afterEach(() => testDb.cleanup());

function post(path: string, fields: Record<string, string>) {
  return app.request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Origin: ORIGIN, Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: session.csrf, ...fields }),
  });
}

describe("console screens change what the API would", () => {
  it("an update is corrected and backdated; a future time is refused beside the field", async () => {
    const opened = await openIncidentNow(contextFor(testDb.db, clock), { name: "Outage", body: "First words" });
    const updateId = opened.incident_updates[0]?.id ?? "";
    clock.advance(20 * 60_000);
    const path = `/admin/incidents/${opened.id}/updates/${updateId}`;
    const corrected = await post(path, {
      body: "Corrected words",
      display_at: "2026-11-26T10:05",
      display_at_was: "x",
    });
    expect(corrected.status).toBe(303);
    const record = await getIncident(testDb.db, opened.id);
    expect(record.updates[0]).toMatchObject({ bodyMd: "Corrected words", displayAt: "2026-11-26T10:05:00.000Z" });

    const refused = await post(path, { body: "Later", display_at: "2026-11-27T09:00", display_at_was: "x" });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(new RegExp(`id="edit-at-${updateId}-error"`));
    expect((await getIncident(testDb.db, opened.id)).updates[0]?.bodyMd).toBe("Corrected words");
  });

  it("components are created, moved up and deleted through their forms", async () => {
    const ctx = contextFor(testDb.db, clock);
    await run(ctx, createComponent, { name: "Website" });
    expect((await post("/admin/components", { name: "API", description: "", group_id: "" })).status).toBe(303);
    const api = (await listComponents(testDb.db)).find((c) => c.name === "API");
    expect((await post(`/admin/components/${api?.id}/move`, { direction: "up" })).status).toBe(303);
    expect(orderComponents(await listComponents(testDb.db)).map((c) => c.name)).toEqual(["API", "Website"]);
    expect((await post(`/admin/components/${api?.id}/delete`, {})).status).toBe(303);
    expect((await listComponents(testDb.db)).map((c) => c.name)).toEqual(["Website"]);
  });

  it("subscribers are imported from pasted CSV, with the refused rows reported, then quarantined", async () => {
    const imported = await post("/admin/subscribers/import", { csv: "address\nann@example.com\nnot-an-address\n" });
    expect(imported.status).toBe(200);
    const html = await imported.text();
    expect(html).toContain("1 imported.");
    expect(html).toMatch(/Line 3/);
    const [ann] = await listSubscribers(contextFor(testDb.db, clock), { limit: 10 });
    expect(ann?.address).toBe("ann@example.com");
    const quarantined = await post(`/admin/subscribers/${ann?.id}/quarantine`, { back: "/admin/subscribers?q=ann" });
    expect(quarantined.headers.get("Location")).toBe("/admin/subscribers?q=ann&done=quarantined");
    const [after] = await listSubscribers(contextFor(testDb.db, clock), { limit: 10 });
    expect(after?.state).toBe("quarantined");
  });

  it("a new token's secret is shown once, in the answer, and works", async () => {
    const created = await post("/admin/tokens", { name: "CI", role: "viewer" });
    expect(created.status).toBe(201);
    const secret = /id="new-secret">(hrld_\w+)</.exec(await created.text())?.[1] ?? "";
    expect((await authenticate(testDb.db, secret))?.actor).toMatchObject({ name: "CI", role: "viewer" });
    const listed = await (await app.request(`${ORIGIN}/admin/tokens`, { headers: { Cookie: session.cookie } })).text();
    expect(listed).toContain("CI");
    expect(listed).not.toContain(secret);
  });
});
