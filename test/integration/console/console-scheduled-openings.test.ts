import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { listIncidents } from "../../../core/incidents/load-incidents.ts";
import { readScheduledOpenings } from "../../../core/incidents/stored-openings.ts";
import { tick } from "../../../core/scheduler/tick.ts";
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

describe("opening an incident at a time in the console", () => {
  it("keeps it off the page until its time, lists it on the dashboard, and the scheduler opens it then", async () => {
    const api = await run(ctx(), createComponent, { name: "API" });
    const session = await signIn();
    const form = await page(session, "/admin/incidents/new");
    expect(form).toContain('name="publish_when"');
    const response = await post(session, "/admin/incidents/new", {
      name: "Planned failover",
      status: "identified",
      body: "We are moving the API to the standby region.",
      [`component.${api.id}`]: "degraded_performance",
      publish_when: "at",
      publish_at: "2026-11-26T11:00",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/admin?done=opening-scheduled");
    expect(await listIncidents(testDb.db, {})).toEqual([]);
    const [opening] = await readScheduledOpenings(testDb.db);
    expect(opening).toMatchObject({
      name: "Planned failover",
      status: "identified",
      publish_at: "2026-11-26T11:00:00.000Z",
    });

    const dashboard = await page(session, "/admin?done=opening-scheduled");
    expect(dashboard).toContain("Incident scheduled");
    expect(dashboard).toContain(`id="opening-${opening?.id}"`);
    expect(dashboard).toContain("Planned failover");
    expect(dashboard).toContain("moving the API to the standby region");

    clock.set("2026-11-26T11:00:00.000Z");
    const { opened } = await tick(ctx());
    const [incident] = await listIncidents(testDb.db, {});
    expect(opened).toEqual([incident?.id]);
    expect(incident).toMatchObject({ name: "Planned failover", status: "identified" });
    expect(await page(session, "/admin")).not.toContain(`id="opening-${opening?.id}"`);
  });

  it("moves and cancels it; a time in the past is refused on the dashboard and changes nothing", async () => {
    const session = await signIn();
    await post(session, "/admin/incidents/new", {
      name: "Later",
      publish_when: "at",
      publish_at: "2026-11-26T11:00",
    });
    const [opening] = await readScheduledOpenings(testDb.db);
    const id = opening?.id ?? "";

    const past = await post(session, `/admin/scheduled-openings/${id}`, { publish_at: "2026-11-26T09:00" });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain("must be in the future");
    expect((await readScheduledOpenings(testDb.db))[0]?.publish_at).toBe("2026-11-26T11:00:00.000Z");

    const moved = await post(session, `/admin/scheduled-openings/${id}`, { publish_at: "2026-11-26T12:15" });
    expect(moved.headers.get("Location")).toBe("/admin?done=opening-moved");
    expect((await readScheduledOpenings(testDb.db))[0]?.publish_at).toBe("2026-11-26T12:15:00.000Z");

    const cancelled = await post(session, `/admin/scheduled-openings/${id}/cancel`, {});
    expect(cancelled.headers.get("Location")).toBe("/admin?done=opening-cancelled");
    expect(await readScheduledOpenings(testDb.db)).toEqual([]);
    const again = await post(session, `/admin/scheduled-openings/${id}/cancel`, {});
    expect(again.status).toBe(404);
  });

  it("a past time on the open form is refused, naming the field, and nothing is stored", async () => {
    const session = await signIn();
    const response = await post(session, "/admin/incidents/new", {
      name: "Too late",
      publish_when: "at",
      publish_at: "2026-11-26T09:00",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("must be in the future");
    expect(html).toContain('value="Too late"');
    expect(await readScheduledOpenings(testDb.db)).toEqual([]);
  });

  it("a viewer sees scheduled incidents and cannot schedule, move or cancel one", async () => {
    const commander = await signIn();
    await post(commander, "/admin/incidents/new", {
      name: "Later",
      publish_when: "at",
      publish_at: "2026-11-26T11:00",
    });
    const [opening] = await readScheduledOpenings(testDb.db);
    const viewer = await signIn("viewer");
    const dashboard = await page(viewer, "/admin");
    expect(dashboard).toContain("Later");
    expect(dashboard).not.toContain(`/admin/scheduled-openings/${opening?.id}/cancel`);
    expect((await post(viewer, `/admin/scheduled-openings/${opening?.id}/cancel`, {})).status).toBe(403);
    expect(
      (await post(viewer, "/admin/incidents/new", { name: "No", publish_when: "at", publish_at: "2026-11-26T11:00" }))
        .status,
    ).toBe(403);
    expect(await readScheduledOpenings(testDb.db)).toHaveLength(1);
  });
});

describe("the Preview button shows the mail", () => {
  it("plans the post as publishing would and shows the subject and text subscribers get, writing nothing", async () => {
    const session = await signIn();
    const response = await post(session, "/admin/incidents/new", {
      name: "Elevated API errors",
      status: "identified",
      body: "A bad deploy; **rolling back** now.",
      _preview: "1",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("the mail subscribers get");
    expect(html).toMatch(/class="mail-subject"><span class="meta">Subject<\/span> \[Identified\] Elevated API errors/);
    expect(html).toContain("A bad deploy; rolling back now.");
    expect(html).toContain("each subscriber&#39;s own unsubscribe link");
    expect(await listIncidents(testDb.db, {})).toEqual([]);

    const quiet = await post(session, "/admin/incidents/new", {
      name: "Silent fix",
      body: "x",
      notify_shown: "1",
      _preview: "1",
    });
    expect(await quiet.text()).toContain("This post notifies no one");
  });

  it("previews an update's mail on the incident screen", async () => {
    const session = await signIn();
    await post(session, "/admin/incidents/new", { name: "Slow search", body: "Looking." });
    const [incident] = await listIncidents(testDb.db, {});
    const response = await post(session, `/admin/incidents/${incident?.id}/updates`, {
      status: "resolved",
      body: "Search is fast again.",
      _preview: "1",
    });
    const html = await response.text();
    expect(html).toMatch(/Subject<\/span> \[Resolved\] Slow search/);
    expect(html).toContain("Search is fast again.");
    expect((await listIncidents(testDb.db, {}))[0]?.updates).toHaveLength(1);
  });
});
