import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { listIncidents } from "../../../core/incidents/load-incidents.ts";
import { createToken } from "../../../core/tokens/create-token.ts";
import { page } from "../../../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

const ORIGIN = "http://herald.test";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;
let token: string;

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  token = (await run(contextFor(testDb.db, clock), createToken, { name: "on call", role: "commander" })).token;
  app = createApp({ db: testDb.db, clock, log: () => {} });
});
afterEach(() => testDb.cleanup());

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}

async function signIn(origin = ORIGIN): Promise<{ cookie: string; setCookie: string; csrf: string }> {
  const response = await app.request(`${origin}/admin/sign-in`, {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  expect(response.status).toBe(303);
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  const dashboard = await app.request(`${origin}/admin`, { headers: { Cookie: cookie } });
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "";
  return { cookie, setCookie, csrf };
}

describe("console sessions and forms", () => {
  it("the session cookie is HttpOnly, SameSite=Strict, scoped to /admin, Secure only under https, and expires", async () => {
    const plain = await signIn();
    expect(plain.setCookie).toMatch(/HttpOnly/);
    expect(plain.setCookie).toMatch(/SameSite=Strict/);
    expect(plain.setCookie).toMatch(/Path=\/admin/);
    expect(plain.setCookie).toMatch(/Expires=/);
    expect(plain.setCookie).not.toMatch(/Secure/);
    const secure = await signIn("https://status.acme.test");
    expect(secure.setCookie).toMatch(/Secure/);
  });

  it("a session ends 12 hours after sign-in, however active it was", async () => {
    const { cookie } = await signIn();
    clock.advance(11 * 3_600_000);
    expect((await app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).status).toBe(200);
    clock.advance(3_600_000);
    const expired = await app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } });
    expect(expired.status).toBe(303);
    expect(expired.headers.get("Location")).toBe("/admin/sign-in?next=%2Fadmin");
  });

  it("a refused incident shows core's field errors beside the fields, keeps what was typed, and writes nothing", async () => {
    const { cookie, csrf } = await signIn();
    const response = await post(
      "/admin/incidents/new",
      { _csrf: csrf, name: "   ", body: "Typed text survives", next_update_in: "soon" },
      { Cookie: cookie },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Nothing was changed.");
    expect(html).toMatch(/id="name-error">a name is required/);
    expect(html).toMatch(/id="next-update-error">[^<]*number/i);
    expect(html).toContain("Typed text survives");
    expect(await listIncidents(testDb.db)).toEqual([]);
  });

  it("an incident opened in the console is the API's: same components, promise and notify choice", async () => {
    const api = await run(contextFor(testDb.db, clock), createComponent, { name: "API" });
    const { cookie, csrf } = await signIn();
    const response = await post(
      "/admin/incidents/new",
      {
        _csrf: csrf,
        name: "Slow API",
        status: "identified",
        body: "We found it.",
        [`component.${api.id}`]: "degraded_performance",
        next_update_in: "45",
        notify_shown: "1",
      },
      { Cookie: cookie },
    );
    expect(response.status).toBe(303);
    const [incident] = await listIncidents(testDb.db);
    expect(incident).toMatchObject({ name: "Slow API", status: "identified", impact: "minor" });
    expect(incident?.nextUpdateDueAt).toBe(new Date(clock.now().getTime() + 45 * 60_000).toISOString());
    expect(incident?.updates[0]).toMatchObject({ deliverNotifications: false, createdBy: "on call" });
    expect(incident?.updates[0]?.componentChanges.map((c) => c.newStatus)).toEqual(["degraded_performance"]);
    expect(response.headers.get("Location")).toBe(`/admin/incidents/${incident?.id}?done=opened`);
  });

  it("'Next update in' starts at the page's default cadence, and 'No promise' promises nothing", async () => {
    const { cookie, csrf } = await signIn();
    const noDefault = await (
      await app.request(`${ORIGIN}/admin/incidents/new`, { headers: { Cookie: cookie } })
    ).text();
    expect(noDefault).toMatch(/<option value="none" selected="">No promise<\/option>/);
    await testDb.db.update(page).set({ defaultNextUpdateMinutes: 20 });
    const form = await (await app.request(`${ORIGIN}/admin/incidents/new`, { headers: { Cookie: cookie } })).text();
    expect(form).toMatch(/<option value="20" selected="">20 min<\/option>/);

    await post("/admin/incidents/new", { _csrf: csrf, name: "Promised", next_update_in: "20" }, { Cookie: cookie });
    await post("/admin/incidents/new", { _csrf: csrf, name: "Unpromised", next_update_in: "none" }, { Cookie: cookie });
    const byName = new Map((await listIncidents(testDb.db)).map((i) => [i.name, i]));
    expect(byName.get("Promised")?.nextUpdateDueAt).toBe(new Date(clock.now().getTime() + 20 * 60_000).toISOString());
    expect(byName.get("Unpromised")?.nextUpdateDueAt).toBeNull();
  });

  it("the preview renders exactly what the stored update holds, and refuses what posting would refuse", async () => {
    const { cookie, csrf } = await signIn();
    const markdown = "**Bold** <img src=x onerror=alert(1)> [x](javascript:alert(1))";
    const preview = await (await post("/admin/preview", { _csrf: csrf, body: markdown }, { Cookie: cookie })).text();
    await post("/admin/incidents/new", { _csrf: csrf, name: "Stored", body: markdown }, { Cookie: cookie });
    const [incident] = await listIncidents(testDb.db);
    expect(preview).toBe(incident?.updates[0]?.bodyHtml);
    const refused = await post("/admin/preview", { _csrf: csrf, body: "bad \u0007 bell" }, { Cookie: cookie });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/U\+0007/);
  });

  it("without JavaScript, the Preview button shows the same preview on the form and writes nothing", async () => {
    const { cookie, csrf } = await signIn();
    const response = await post(
      "/admin/incidents/new",
      { _csrf: csrf, _preview: "1", name: "Draft", body: "Seen **before** posting" },
      { Cookie: cookie },
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Seen <strong>before</strong> posting");
    expect(html).toContain('value="Draft"');
    expect(await listIncidents(testDb.db)).toEqual([]);
  });
});
