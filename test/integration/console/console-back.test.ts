import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { failureMessage, noteCommits } from "../../../api/written.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { addSubscriber } from "../../../core/subscribers/admin/add-subscriber.ts";
import { components, subscribers } from "../../../db/schema.ts";
import { type ConsoleSession, consoleClient } from "../../helpers/console-client.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;
let session: ConsoleSession;

const consoleAs = consoleClient(() => ({ app, testDb, clock }));

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  app = createApp({ db: testDb.db, clock, log: () => {} });
  session = await consoleAs.signIn("admin");
});
afterEach(() => testDb.cleanup());

const post = (path: string, fields: Record<string, string>) => consoleAs.post(session, path, fields);

describe("the console's return address (`back`)", () => {
  it("a line break in it cannot fail a quarantine that was saved: the list comes back, no header is injected", async () => {
    const ann = await addSubscriber(contextFor(testDb.db, clock), { address: "ann@example.com" });
    for (const back of ["/admin/subscribers\r\nSet-Cookie: taken=1", "/admin/subscribers?q=ann\nX: y"]) {
      await testDb.db.update(subscribers).set({ state: "active" }).where(eq(subscribers.id, ann.id));
      const response = await post(`/admin/subscribers/${ann.id}/quarantine`, { back });
      expect(response.status).toBe(303);
      expect(response.headers.get("Location")).toBe("/admin/subscribers?done=quarantined");
      expect(response.headers.get("Set-Cookie")).toBeNull();
      const [row] = await testDb.db.select().from(subscribers).where(eq(subscribers.id, ann.id));
      expect(row?.state).toBe("quarantined");
    }
  });

  it("another site or screen is not a way back; the filtered list is", async () => {
    const ann = await addSubscriber(contextFor(testDb.db, clock), { address: "ann@example.com" });
    const bob = await addSubscriber(contextFor(testDb.db, clock), { address: "bob@example.com" });
    const away = await post(`/admin/subscribers/${ann.id}/quarantine`, { back: "/admin/subscribers/../../evil" });
    expect(away.headers.get("Location")).toBe("/admin/subscribers?done=quarantined");
    const filtered = await post(`/admin/subscribers/${bob.id}/quarantine`, {
      back: "/admin/subscribers?q=b%C3%B6b+x&state=active",
    });
    expect(filtered.headers.get("Location")).toBe("/admin/subscribers?q=b%C3%B6b+x&state=active&done=quarantined");
  });
});

describe("an unexpected failure says truthfully whether the change was saved", () => {
  it("after a commit: saved; before one: nothing changed", async () => {
    const probe = new Hono();
    probe.onError((_, c) => c.text(failureMessage(c), 500));
    probe.post("/:commit", async (c) => {
      if (c.req.param("commit") === "after") {
        const ctx = { ...contextFor(testDb.db, clock), onCommit: noteCommits(c, undefined) };
        await run(ctx, createComponent, { name: "Search" });
      }
      throw new Error("the answer could not be built");
    });
    const after = await probe.request("/after", { method: "POST" });
    expect(await after.text()).toMatch(/after your change was saved: it was made/);
    expect(await testDb.db.select().from(components)).toHaveLength(1);
    const before = await probe.request("/before", { method: "POST" });
    expect(await before.text()).toMatch(/before anything was saved: nothing was changed/);
  });
});
