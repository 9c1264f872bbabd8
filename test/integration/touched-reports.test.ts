import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import type { RenderTopics } from "../../core/changes/outbox.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { deleteComponent } from "../../core/components/delete-component.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import { deleteIncident } from "../../core/incidents/delete-incident.ts";
import { editUpdate } from "../../core/incidents/edit-update.ts";
import { getPage } from "../../core/page/get-page.ts";
import { historyMonths, jobs } from "../../db/schema.ts";
import { openIncidentNow, postUpdateNow } from "../helpers/actions.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../helpers/database.ts";

let testDb: TestDb;
let ctx: ActionContext;
const clock = manualClock("2026-11-26T10:00:00.000Z");

beforeEach(async () => {
  testDb = await createTestDb();
  await setupPage(testDb.db, clock);
  ctx = contextFor(testDb.db, clock);
});
afterEach(() => testDb.cleanup());

/** The render job the last action queued (each test empties the outbox before it), its lists sorted. */
async function renderedBy(action: () => Promise<unknown>): Promise<RenderTopics> {
  await testDb.db.delete(jobs);
  await action();
  const queued = await testDb.db.select().from(jobs).where(eq(jobs.kind, "render"));
  expect(queued).toHaveLength(1);
  const topics = { ...(queued[0]?.payload as RenderTopics) };
  for (const key of ["incidents", "components", "months"] as const) topics[key] = topics[key]?.toSorted();
  return Object.fromEntries(Object.entries(topics).filter(([, value]) => value !== undefined));
}

const sorted = (...ids: string[]) => ids.toSorted();

describe("what a change touched, as its render job names it", () => {
  it("a moved component names itself and its old and new group", async () => {
    const east = await run(ctx, createComponent, { name: "East", group: true });
    const west = await run(ctx, createComponent, { name: "West", group: true });
    const api = await run(ctx, createComponent, { name: "API", group_id: east.id });
    expect(await renderedBy(() => run(ctx, updateComponent, { id: api.id, group_id: west.id }))).toEqual({
      components: sorted(api.id, east.id, west.id),
    });
  });

  it("a renamed group names its members (their pages show its name); a renamed component names its group", async () => {
    const group = await run(ctx, createComponent, { name: "Platform", group: true });
    const api = await run(ctx, createComponent, { name: "API", group_id: group.id });
    const web = await run(ctx, createComponent, { name: "Web", group_id: group.id });
    expect(await renderedBy(() => run(ctx, updateComponent, { id: group.id, name: "Core" }))).toEqual({
      components: sorted(group.id, api.id, web.id),
    });
    expect(await renderedBy(() => run(ctx, updateComponent, { id: api.id, name: "Public API" }))).toEqual({
      components: sorted(api.id, group.id),
    });
  });

  it("a deleted group names its former members, now ungrouped", async () => {
    const group = await run(ctx, createComponent, { name: "Platform", group: true });
    const api = await run(ctx, createComponent, { name: "API", group_id: group.id });
    expect(await renderedBy(() => run(ctx, deleteComponent, { id: group.id }))).toEqual({
      components: sorted(group.id, api.id),
    });
  });

  it("an incident's change names every component its timeline touched, their groups and its month", async () => {
    const group = await run(ctx, createComponent, { name: "Platform", group: true });
    const api = await run(ctx, createComponent, { name: "API", group_id: group.id });
    const web = await run(ctx, createComponent, { name: "Web" });
    const incident = await openIncidentNow(ctx, {
      name: "Slow API",
      body: "Looking into it.",
      components: { [api.id]: "degraded_performance" },
    });
    // The update sets only Web; the API page still lists the incident, whose latest update it shows.
    const topics = await renderedBy(() =>
      postUpdateNow(ctx, incident.id, {
        status: "identified",
        body: "Web too.",
        components: { [web.id]: "partial_outage" },
      }),
    );
    expect(topics).toEqual({
      incidents: [incident.id],
      components: sorted(api.id, group.id, web.id),
      months: ["2026-11"],
    });
    const updateId = (await postUpdateNow(ctx, incident.id, { status: "monitoring", body: "Fix out." }))
      .incident_updates[0]?.id;
    expect(
      await renderedBy(() =>
        run(ctx, editUpdate, { id: incident.id, updateId: updateId ?? "", body: "Fix deployed." }),
      ),
    ).toMatchObject({ components: sorted(api.id, group.id, web.id) });
    expect(await renderedBy(() => run(ctx, deleteIncident, { id: incident.id }))).toEqual(topics);
  });

  it("the commit recounts the months a change names and moves the page's updated_at", async () => {
    const api = await run(ctx, createComponent, { name: "API" });
    clock.advance(60_000);
    const incident = await openIncidentNow(ctx, {
      name: "Slow API",
      body: "Looking into it.",
      components: { [api.id]: "degraded_performance" },
    });
    expect(await testDb.db.select().from(historyMonths)).toEqual([{ month: "2026-11", incidents: 1, maintenances: 0 }]);
    expect((await getPage(testDb.db)).updatedAt).toBe(clock.now().toISOString());
    await run(ctx, deleteIncident, { id: incident.id });
    expect(await testDb.db.select().from(historyMonths)).toEqual([]);
  });
});
