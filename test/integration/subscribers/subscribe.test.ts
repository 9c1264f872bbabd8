import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { paths } from "../../../core/public/paths.ts";
import { type LinkSigner, linkSigner } from "../../../core/subscribers/signed-links.ts";
import { jobs, notificationEvents, subscriberComponents, subscribers } from "../../../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";

type World = TestDb & {
  clock: ReturnType<typeof manualClock>;
  app: ReturnType<typeof createApp>;
  signer: LinkSigner;
  api: string;
  website: string;
};

let w: World;

beforeEach(async () => {
  const testDb = await createTestDb();
  const clock = manualClock();
  await setupPage(testDb.db, clock);
  const ctx = contextFor(testDb.db, clock);
  const api = (await run(ctx, createComponent, { name: "API" })).id;
  const website = (await run(ctx, createComponent, { name: "Website" })).id;
  const app = createApp({
    db: testDb.db,
    clock,
    log: () => {},
    clientAddress: (c) => c.req.header("x-test-ip") ?? "192.0.2.1",
  });
  w = { ...testDb, clock, app, signer: await linkSigner(testDb.db, clock), api, website };
});
afterEach(() => w.cleanup());

function postForm(path: string, fields: [string, string][], ip = "192.0.2.1") {
  return w.app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "x-test-ip": ip },
    body: new URLSearchParams(fields).toString(),
  });
}
function postJson(body: unknown, ip = "192.0.2.1") {
  return w.app.request(paths.subscribe(), {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-test-ip": ip },
    body: JSON.stringify(body),
  });
}
async function subscriberOf(address: string) {
  const [row] = await w.db.select().from(subscribers).where(eq(subscribers.address, address));
  return row;
}
async function confirmEvents(subscriberId: string) {
  return w.db.select().from(notificationEvents).where(eq(notificationEvents.subscriberId, subscriberId));
}
async function link(purpose: "confirm" | "manage" | "unsubscribe", subscriberId: string) {
  return w.signer.sign({ subscriberId, purpose }, w.clock.now());
}

describe("subscribing", () => {
  it("a form post writes an unconfirmed subscriber scoped to the chosen component, one confirmation event and its notify job", async () => {
    const response = await postForm(paths.subscribe(), [
      ["email", " Ada@Example.com "],
      ["scope", "components"],
      ["components", w.api],
    ]);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Check your inbox");
    const subscriber = await subscriberOf("ada@example.com");
    expect(subscriber).toMatchObject({ state: "unconfirmed", allComponents: false, channel: "email", source: "form" });
    if (!subscriber) throw new Error("no subscriber");
    const scope = await w.db.select().from(subscriberComponents);
    expect(scope).toEqual([{ subscriberId: subscriber.id, componentId: w.api }]);
    const events = await confirmEvents(subscriber.id);
    expect(events.map((e) => e.kind)).toEqual(["subscription.confirm"]);
    const notify = await w.db.select().from(jobs).where(eq(jobs.kind, "notify"));
    expect(notify.map((j) => j.payload)).toEqual([{ eventId: events[0]?.id }]);
  });

  it("an address already subscribed gets the same answer, keeps its scope, and is sent a personal mail (its manage link)", async () => {
    await postJson({ email: "bob@example.com", components: [w.api] });
    const first = await subscriberOf("bob@example.com");
    if (!first) throw new Error("no subscriber");
    const confirmed = await w.app.request(paths.confirmSubscription(await link("confirm", first.id)), {
      method: "POST",
    });
    expect(confirmed.status).toBe(200);
    const fresh = await postJson({ email: "carol@example.com" });
    const again = await postJson({ email: "bob@example.com" });
    expect(again.status).toBe(fresh.status);
    expect(await again.json()).toEqual(await fresh.json());
    const after = await subscriberOf("bob@example.com");
    expect(after).toMatchObject({ state: "active", allComponents: false });
    expect((await confirmEvents(first.id)).length).toBe(2);
  });

  it("bad input gets a readable page for the form, problem+json for JSON, and writes nothing", async () => {
    const before = await snapshotDb(w.db, ["rate_limits"]);
    const cases: [string, string][][] = [
      [["email", "not-an-address"]],
      [["email", `${"a".repeat(250)}@example.com`]],
      [
        ["email", "dan@example.com"],
        ["components", "zzzzzzzzzzzz"],
      ],
      [
        ["email", "dan@example.com"],
        ["scope", "components"],
      ],
      [["email", "dan\u0000@example.com"]],
    ];
    for (const fields of cases) {
      const response = await postForm(paths.subscribe(), fields);
      expect(response.status).toBe(422);
      expect(response.headers.get("Content-Type")).toContain("text/html");
      expect(await response.text()).toContain("Nothing was saved");
    }
    const json = await postJson({ email: "dan@example.com", components: ["zzzzzzzzzzzz"] });
    expect(json.status).toBe(422);
    expect(json.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await json.json()).toMatchObject({ errors: [{ path: "components" }] });
    const extra = await postJson({ email: "dan@example.com", admin: true });
    expect(extra.status).toBe(422);
    expect(diffSnapshots(before, await snapshotDb(w.db, ["rate_limits"]))).toEqual([]);
  });

  it("one address can ask at most 3 times an hour, from any client address (429 page and problem+json)", async () => {
    for (let i = 0; i < 3; i++)
      expect((await postJson({ email: "eve@example.com" }, `198.51.100.${i}`)).status).toBe(202);
    const json = await postJson({ email: "eve@example.com" }, "198.51.100.9");
    expect(json.status).toBe(429);
    expect(json.headers.get("Content-Type")).toContain("application/problem+json");
    expect(Number(json.headers.get("Retry-After"))).toBeGreaterThan(0);
    const form = await postForm(paths.subscribe(), [["email", "EVE@example.com"]], "198.51.100.10");
    expect(form.status).toBe(429);
    expect(await form.text()).toContain("Too many requests");
    const subscriber = await subscriberOf("eve@example.com");
    expect((await confirmEvents(subscriber?.id ?? "")).length).toBe(3);
    w.clock.advance(60 * 60 * 1000);
    expect((await postJson({ email: "eve@example.com" })).status).toBe(202);
  });

  it("a webhook URL on the form makes an unconfirmed webhook whose owner gets the confirmation; same answer, same limits, bad input named by form field", async () => {
    const email = await postForm(paths.subscribe(), [["email", "ops@example.com"]], "203.0.113.1");
    const answer = await email.text();
    const hook = await postForm(
      paths.subscribe(),
      [
        ["email", "OPS@example.com"],
        ["scope", "components"],
        ["components", w.api],
        ["webhook_url", "https://hooks.slack.com/services/T0/B0/x"],
      ],
      "203.0.113.2",
    );
    expect(hook.status).toBe(200);
    expect(await hook.text()).toBe(answer);
    const [webhook] = await w.db.select().from(subscribers).where(eq(subscribers.channel, "webhook"));
    expect(webhook).toMatchObject({ state: "unconfirmed", format: "slack", ownerEmail: "ops@example.com" });
    expect((await confirmEvents(webhook?.id ?? "")).map((e) => e.kind)).toEqual(["subscription.confirm"]);
    const scope = await w.db
      .select()
      .from(subscriberComponents)
      .where(eq(subscriberComponents.subscriberId, webhook?.id ?? ""));
    expect(scope.map((row) => row.componentId)).toEqual([w.api]);

    const before = await snapshotDb(w.db, ["rate_limits"]);
    const refused = await postForm(paths.subscribe(), [
      ["email", "ops@example.com"],
      ["webhook_url", "http://10.0.0.1/hook"],
    ]);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("webhook_url:");
    const json = await postJson({ email: "not an address", webhook_url: "https://example.com/hook" });
    expect(json.status).toBe(422);
    expect(await json.json()).toMatchObject({ errors: [{ path: "email" }] });
    const extra = await postJson({ email: "ops@example.com", webhook_url: "https://example.com/h", admin: true });
    expect(extra.status).toBe(422);
    expect(diffSnapshots(before, await snapshotDb(w.db, ["rate_limits"]))).toEqual([]);

    // The owner's address shares the mail limit: 3 well-formed requests an hour in all.
    const third = await postJson({ email: "ops@example.com", webhook_url: "https://example.com/other" }, "203.0.113.3");
    expect(third.status).toBe(202);
    const fourth = await postJson({ email: "ops@example.com", webhook_url: "https://example.com/more" }, "203.0.113.4");
    expect(fourth.status).toBe(429);
  });

  it("one client address can post at most 20 times an hour", async () => {
    for (let i = 0; i < 20; i++)
      expect((await postJson({ email: `p${i}@example.com` }, "203.0.113.5")).status).toBe(202);
    const limited = await postForm(paths.subscribe(), [["email", "p99@example.com"]], "203.0.113.5");
    expect(limited.status).toBe(429);
    expect(await subscriberOf("p99@example.com")).toBeUndefined();
    expect((await postJson({ email: "p99@example.com" }, "203.0.113.6")).status).toBe(202);
  });
});

describe("signed links", () => {
  async function newSubscriber(email: string) {
    await postJson({ email });
    const subscriber = await subscriberOf(email);
    if (!subscriber) throw new Error("no subscriber");
    return subscriber.id;
  }

  it("a GET of the confirm link only asks; the POST confirms once", async () => {
    const id = await newSubscriber("fay@example.com");
    const path = paths.confirmSubscription(await link("confirm", id));
    const get = await w.app.request(path);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain("Confirm subscription");
    expect((await subscriberOf("fay@example.com"))?.state).toBe("unconfirmed");
    expect((await w.app.request(path, { method: "POST" })).status).toBe(200);
    expect((await subscriberOf("fay@example.com"))?.state).toBe("active");
    const before = await snapshotDb(w.db);
    const again = await w.app.request(path, { method: "POST" });
    expect(await again.text()).toContain("Already confirmed");
    expect(diffSnapshots(before, await snapshotDb(w.db))).toEqual([]);
  });

  it("a confirm link older than 48 hours and a tampered link are refused with a clear page and change nothing", async () => {
    const id = await newSubscriber("gus@example.com");
    const token = await link("confirm", id);
    const [payload, signature] = token.split(".");
    const other = await newSubscriber("hal@example.com");
    const forged = `${btoa(`${other}.confirm.0`).replace(/=+$/, "")}.${signature}`;
    const before = await snapshotDb(w.db);
    for (const bad of [`${payload}.${signature?.slice(0, -2)}xx`, forged, "garbage", ""]) {
      const response = await w.app.request(paths.confirmSubscription(bad), { method: "POST" });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("This link is not valid");
    }
    // A manage token cannot confirm, nor a confirm token manage.
    expect((await w.app.request(paths.confirmSubscription(await link("manage", id)), { method: "POST" })).status).toBe(
      400,
    );
    expect((await w.app.request(paths.managePreferences(token))).status).toBe(400);
    w.clock.advance(48 * 60 * 60 * 1000 + 1000);
    const expired = await w.app.request(paths.confirmSubscription(token), { method: "POST" });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("This link has expired");
    expect(diffSnapshots(before, await snapshotDb(w.db))).toEqual([]);
  });

  it("the preferences page changes the scope, from the whole page to one component and back", async () => {
    const id = await newSubscriber("ida@example.com");
    const manage = paths.managePreferences(await link("manage", id));
    const page = await w.app.request(manage);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("ida@example.com");
    expect(html).toContain(`value="${w.website}"`);
    const saved = await postForm(manage, [
      ["scope", "components"],
      ["components", w.website],
    ]);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved");
    expect((await subscriberOf("ida@example.com"))?.allComponents).toBe(false);
    expect(await w.db.select().from(subscriberComponents)).toEqual([{ subscriberId: id, componentId: w.website }]);
    const refused = await postForm(manage, [["scope", "components"]]);
    expect(refused.status).toBe(422);
    expect(await w.db.select().from(subscriberComponents)).toHaveLength(1);
    await postForm(manage, [["scope", "all"]]);
    expect((await subscriberOf("ida@example.com"))?.allComponents).toBe(true);
    expect(await w.db.select().from(subscriberComponents)).toEqual([]);
  });

  it("a one-click POST (RFC 8058) unsubscribes at once; a GET of the link only asks", async () => {
    const id = await newSubscriber("jo@example.com");
    const path = paths.unsubscribe(await link("unsubscribe", id));
    const get = await w.app.request(path);
    expect(await get.text()).toContain("Unsubscribe");
    expect((await subscriberOf("jo@example.com"))?.state).toBe("unconfirmed");
    const post = await postForm(path, [["List-Unsubscribe", "One-Click"]]);
    expect(post.status).toBe(200);
    expect(await post.text()).toContain("unsubscribed");
    expect(await subscriberOf("jo@example.com")).toMatchObject({ state: "unsubscribed" });
    // The confirmation mail still in the inbox can no longer bring it back.
    await w.app.request(paths.confirmSubscription(await link("confirm", id)), { method: "POST" });
    expect((await subscriberOf("jo@example.com"))?.state).toBe("unsubscribed");
  });

  it("the link key is generated once and kept, so every process signs alike; HERALD_SECRET overrides it", async () => {
    const id = await newSubscriber("kim@example.com");
    const token = await link("manage", id);
    const again = await linkSigner(w.db, w.clock);
    expect(await again.verify(token, "manage", w.clock.now())).toEqual({ ok: true, subscriberId: id });
    const configured = await linkSigner(w.db, w.clock, "x".repeat(40));
    expect(await configured.verify(token, "manage", w.clock.now())).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the subscribe form's JSON", () => {
  it("refuses a body that is not UTF-8 with a 400 naming the body, and writes nothing", async () => {
    const before = await snapshotDb(w.db, ["rate_limits"]);
    const encoder = new TextEncoder();
    const response = await w.app.request(paths.subscribe(), {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-test-ip": "192.0.2.1" },
      body: new Uint8Array([...encoder.encode('{"email":"caf'), 0xe9, ...encoder.encode('@example.com"}')]),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ errors: [{ path: "(body)", message: "not valid UTF-8" }] });
    expect(diffSnapshots(before, await snapshotDb(w.db, ["rate_limits"]))).toEqual([]);
  });
});
