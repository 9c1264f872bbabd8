import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { getIncident } from "../../../core/incidents/load-incidents.ts";
import { readScheduledUpdates } from "../../../core/incidents/scheduled-updates.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { consoleClient } from "../../helpers/console-client.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock("2026-11-26T10:00:00.000Z");
  await setupPage(testDb.db, clock);
  app = createApp({ db: testDb.db, clock, log: () => {} });
});
afterEach(() => testDb.cleanup());

const { signIn, post, page } = consoleClient(() => ({ app, testDb, clock }));

const ctx = () => contextFor(testDb.db, clock);

async function maintenance() {
  return openIncidentNow(ctx(), {
    kind: "maintenance",
    name: "Database upgrade",
    scheduled_for: "2026-11-27T02:00:00Z",
    scheduled_until: "2026-11-27T04:00:00Z",
    deliver_notifications: false,
  });
}

describe("timed updates in the console", () => {
  it("an update posted 'at a time' is kept as scheduled, listed on the incident and the dashboard, and nothing public changes", async () => {
    const incident = await openIncidentNow(ctx(), { name: "Slow search", deliver_notifications: false });
    const session = await signIn();
    const response = await post(session, `/admin/incidents/${incident.id}/updates`, {
      status: "monitoring",
      body: "A fix is rolling out.",
      publish_when: "at",
      publish_at: "2026-11-26T10:30",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/admin/incidents/${incident.id}?done=timed`);
    const [timed] = await readScheduledUpdates(testDb.db, incident.id);
    expect(timed).toMatchObject({ status: "monitoring", publish_at: "2026-11-26T10:30:00.000Z" });
    expect((await getIncident(testDb.db, incident.id)).status).toBe("investigating");

    const screen = await page(session, `/admin/incidents/${incident.id}?done=timed`);
    expect(screen).toContain("Update scheduled");
    expect(screen).toContain(`id="scheduled-${timed?.id}"`);
    expect(screen).toContain("A fix is rolling out.");
    const dashboard = await page(session, "/admin");
    expect(dashboard).toContain(`/admin/incidents/${incident.id}#scheduled-${timed?.id}`);
    expect(dashboard).toContain("Slow search");
  });

  it("a past or missing publish time is refused beside the field, keeps the text, and writes nothing", async () => {
    const incident = await openIncidentNow(ctx(), { name: "Slow search", deliver_notifications: false });
    const session = await signIn();
    for (const publishAt of ["2026-11-26T09:00", ""]) {
      const response = await post(session, `/admin/incidents/${incident.id}/updates`, {
        body: "Typed text survives",
        publish_when: "at",
        publish_at: publishAt,
      });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toMatch(/id="update-when-time-error">[^<]+/);
      expect(html).toContain("Typed text survives");
    }
    expect(await readScheduledUpdates(testDb.db, incident.id)).toEqual([]);
    expect((await getIncident(testDb.db, incident.id)).updates).toHaveLength(1);
  });

  it("a timed update is edited (text, status, time) and cancelled from the console", async () => {
    const incident = await openIncidentNow(ctx(), { name: "Slow search", deliver_notifications: false });
    const session = await signIn();
    await post(session, `/admin/incidents/${incident.id}/updates`, {
      body: "Soon.",
      publish_when: "at",
      publish_at: "2026-11-26T11:00",
    });
    const [timed] = await readScheduledUpdates(testDb.db, incident.id);
    const id = timed?.id ?? "";
    const refused = await post(session, `/admin/scheduled-updates/${id}`, {
      body: "Later.",
      publish_at: "2026-11-25T11:00",
      publish_at_was: "2026-11-26T11:00",
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(new RegExp(`id="sched-at-${id}-error">`));

    const edited = await post(session, `/admin/scheduled-updates/${id}`, {
      status: "identified",
      body: "Later.",
      publish_at: "2026-11-26T12:00",
      publish_at_was: "2026-11-26T11:00",
    });
    expect(edited.status).toBe(303);
    expect(await readScheduledUpdates(testDb.db, incident.id)).toMatchObject([
      { id, status: "identified", body: "Later.", publish_at: "2026-11-26T12:00:00.000Z" },
    ]);

    const cancelled = await post(session, `/admin/scheduled-updates/${id}/cancel`, { back: "/admin" });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("Location")).toBe("/admin?done=timed-cancelled");
    expect(await readScheduledUpdates(testDb.db, incident.id)).toEqual([]);
  });

  it("a viewer sees timed updates but may not schedule or cancel them; a post without the token is refused", async () => {
    const incident = await openIncidentNow(ctx(), { name: "Slow search", deliver_notifications: false });
    const commander = await signIn();
    await post(commander, `/admin/incidents/${incident.id}/updates`, {
      body: "Soon.",
      publish_when: "at",
      publish_at: "2026-11-26T11:00",
    });
    const [timed] = await readScheduledUpdates(testDb.db, incident.id);
    const viewer = await signIn("viewer");
    const screen = await page(viewer, `/admin/incidents/${incident.id}`);
    expect(screen).toContain(`id="scheduled-${timed?.id}"`);
    expect(screen).not.toContain(`/admin/scheduled-updates/${timed?.id}/cancel`);
    const refused = await post(viewer, `/admin/scheduled-updates/${timed?.id}/cancel`, {});
    expect(refused.status).toBe(403);
    const noToken = await post({ ...commander, csrf: "" }, `/admin/scheduled-updates/${timed?.id}/cancel`, {});
    expect(noToken.status).toBe(403);
    expect(await readScheduledUpdates(testDb.db, incident.id)).toHaveLength(1);
  });
});

describe("a maintenance's window in the console", () => {
  it("schedules with auto start off, and shows it", async () => {
    const session = await signIn();
    const response = await post(session, "/admin/maintenance/new", {
      name: "Manual switch-over",
      scheduled_for: "2026-11-27T02:00",
      scheduled_until: "2026-11-27T04:00",
      remind_minutes: "0",
      notify_shown: "1",
      auto_shown: "1",
      auto_complete: "on",
    });
    expect(response.status).toBe(303);
    const id = /incidents\/([^?]+)/.exec(response.headers.get("Location") ?? "")?.[1] ?? "";
    const record = await getIncident(testDb.db, id);
    expect(record).toMatchObject({ autoStart: false, autoComplete: true });
    expect(await page(session, `/admin/incidents/${id}`)).toContain("Starts by hand · completes by itself");
  });

  it("reschedules, extends and cancels; field errors stand beside their fields", async () => {
    const planned = await maintenance();
    const session = await signIn();
    const screen = await page(session, `/admin/incidents/${planned.id}`);
    expect(screen).toContain(`action="/admin/incidents/${planned.id}/reschedule"`);

    const badEnd = await post(session, `/admin/incidents/${planned.id}/extend`, {
      scheduled_until: "2026-11-27T03:00",
      notify_shown: "1",
    });
    expect(badEnd.status).toBe(422);
    expect(await badEnd.text()).toMatch(/id="extend-until-error">must be after/);

    const moved = await post(session, `/admin/incidents/${planned.id}/reschedule`, {
      scheduled_for: "2026-11-28T02:00",
      scheduled_for_was: "2026-11-27T02:00",
      scheduled_until: "2026-11-28T04:00",
      scheduled_until_was: "2026-11-27T04:00",
      notify_shown: "1",
    });
    expect(moved.status).toBe(303);
    expect(await getIncident(testDb.db, planned.id)).toMatchObject({
      scheduledFor: "2026-11-28T02:00:00.000Z",
      scheduledUntil: "2026-11-28T04:00:00.000Z",
    });

    const extended = await post(session, `/admin/incidents/${planned.id}/extend`, {
      scheduled_until: "2026-11-28T05:00",
      body: "We need another hour.",
      notify_shown: "1",
    });
    expect(extended.headers.get("Location")).toBe(`/admin/incidents/${planned.id}?done=extended`);
    expect((await getIncident(testDb.db, planned.id)).scheduledUntil).toBe("2026-11-28T05:00:00.000Z");

    const cancelled = await post(session, `/admin/incidents/${planned.id}/cancel`, { notify_shown: "1" });
    expect(cancelled.status).toBe(303);
    const after = await getIncident(testDb.db, planned.id);
    expect(after.cancelledAt).not.toBeNull();
    const shown = await page(session, `/admin/incidents/${planned.id}?done=cancelled`);
    expect(shown).toContain("Maintenance cancelled.");
    expect(shown).not.toContain(`/admin/incidents/${planned.id}/extend`);
  });

  it("a viewer may not reschedule, extend or cancel, and sees no such forms", async () => {
    const planned = await maintenance();
    const viewer = await signIn("viewer");
    expect(await page(viewer, `/admin/incidents/${planned.id}`)).not.toContain("/reschedule");
    for (const action of ["reschedule", "extend", "cancel"]) {
      const response = await post(viewer, `/admin/incidents/${planned.id}/${action}`, {
        scheduled_until: "2026-11-28T05:00",
      });
      expect(response.status, action).toBe(403);
    }
    expect((await getIncident(testDb.db, planned.id)).scheduledUntil).toBe("2026-11-27T04:00:00.000Z");
  });
});
