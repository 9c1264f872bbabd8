import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { getIncident } from "../../../core/incidents/load-incidents.ts";
import { postUpdate } from "../../../core/incidents/post-update.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { consoleClient } from "../../helpers/console-client.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;

const { signIn, post, page } = consoleClient(() => ({ app, testDb, clock }));

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  app = createApp({ db: testDb.db, clock, log: () => {} });
});
afterEach(() => testDb.cleanup());

describe("console: a resolved incident", () => {
  it("offers Reopen instead of an update form; reopening needs a reason and brings it and its component back", async () => {
    const ctx = contextFor(testDb.db, clock);
    const api = await run(ctx, createComponent, { name: "API" });
    const opened = await openIncidentNow(ctx, { name: "Login errors", components: { [api.id]: "major_outage" } });
    clock.advance(60_000);
    await postUpdate(ctx, opened.id, { status: "resolved" });
    const session = await signIn("commander");
    const screen = await page(session, `/admin/incidents/${opened.id}`);
    expect(screen).toContain("Reopen incident");
    expect(screen).not.toContain("Post update");

    const send = (fields: Record<string, string>) =>
      post(session, `/admin/incidents/${opened.id}/reopen`, { notify_shown: "1", notify: "on", ...fields });
    const refused = await send({ status: "investigating", body: "" });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/id="reopen-body-error">say why it is reopened/);
    expect((await getIncident(testDb.db, opened.id)).status).toBe("resolved");

    const reopened = await send({
      status: "identified",
      body: "The errors are back.",
      [`component.${api.id}`]: "partial_outage",
    });
    expect(reopened.status).toBe(303);
    expect(reopened.headers.get("Location")).toBe(`/admin/incidents/${opened.id}?done=reopened`);
    const record = await getIncident(testDb.db, opened.id);
    expect(record).toMatchObject({ status: "identified", resolvedAt: null });
    expect(record.updates[0]?.componentChanges.map((c) => c.newStatus)).toEqual(["partial_outage"]);
  });
});
