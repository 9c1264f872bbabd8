import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../../core/actions/run.ts";
import { webhookMessagesFor } from "../../../core/notifications/webhook/channel.ts";
import {
  DISABLE_AFTER_PERMANENT_FAILURES,
  type WebhookOutcome,
  webhookOutcomeStatements,
} from "../../../core/notifications/webhook/health.ts";
import type { V2Incident } from "../../../core/public/statuspage.ts";
import { subscribeWebhook } from "../../../core/webhook-subscribers/subscribe-webhook.ts";
import { jobs, notificationEvents, subscriberComponents, subscribers } from "../../../db/schema.ts";
import {
  createWebhookTransport,
  guardedLookup,
  type WebhookTransport,
} from "../../../jobs/notify/webhook-transport.ts";
import { createTestApi, PRIVATE_WEBHOOKS_ALLOWED, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { startWebhookReceiver } from "../../helpers/webhook-receiver.ts";

type Created = { id: string; secret: string; url: string; state: string; format: string };

let api: TestApi;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let transport: WebhookTransport;
let componentId: string;
let incidentId: string;

const lab = { allowPrivate: true };

beforeEach(async () => {
  // Real time: receivers check the signature's timestamp against their own clock.
  api = await createTestApi(manualClock(new Date().toISOString()), PRIVATE_WEBHOOKS_ALLOWED);
  receiver = await startWebhookReceiver();
  transport = createWebhookTransport({ policy: lab, timeoutMs: 1000 });
  componentId = (await api.request<{ id: string }>("POST", "/api/components", { json: { name: "API" } })).body.id;
  incidentId = (
    await api.request<{ id: string }>("POST", "/api/incidents", {
      json: {
        name: "Elevated API error rates",
        status: "identified",
        body: "We found a **bad deploy** & are rolling it back.\n\n- step one\n- step <two>",
        components: { [componentId]: "partial_outage" },
      },
    })
  ).body.id;
});

afterEach(async () => {
  await transport.close();
  await receiver.close();
  await api.cleanup();
});

async function addWebhook(body: Record<string, unknown>): Promise<Created> {
  const response = await api.request<Created>("POST", "/api/webhooks", {
    as: "admin",
    json: { url: receiver.url(), owner_email: "ops@acme.test", ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function stored(id: string) {
  const [row] = await api.db.select().from(subscribers).where(eq(subscribers.id, id));
  if (!row) throw new Error(`no subscriber ${id}`);
  return row;
}

async function openedEvent() {
  const [event] = await api.db.select().from(notificationEvents).where(eq(notificationEvents.incidentId, incidentId));
  if (!event) throw new Error("the incident wrote no event");
  return event;
}

/** The POST the sender makes for the incident's opening event to this webhook (the channel the sender runs). */
async function requestFor(webhookId: string) {
  const context = {
    db: api.db,
    clock: api.clock,
    publicUrl: "https://status.acme.test",
    linkSecret: api.linkSecret,
    mailFrom: "status@acme.test",
  };
  const build = await webhookMessagesFor(context, await openedEvent());
  const request = await build?.(await stored(webhookId));
  if (!request) throw new Error("no request");
  return request;
}

describe("webhook payloads", () => {
  it("a json webhook gets the Statuspage payload, signed so that standardwebhooks' Webhook.verify accepts it", async () => {
    const webhook = await addWebhook({ format: "json" });
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook.state).toBe("active");
    const result = await transport.send(await requestFor(webhook.id));
    expect(result).toMatchObject({ ok: true, reply: "HTTP 200 ok" });

    const [delivery] = receiver.received;
    if (!delivery) throw new Error("nothing received");
    const headers = {
      "webhook-id": String(delivery.headers["webhook-id"]),
      "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
      "webhook-signature": String(delivery.headers["webhook-signature"]),
    };
    expect(headers["webhook-id"]).toBe(`msg_${(await openedEvent()).id}_${webhook.id}`);
    const payload = new Webhook(webhook.secret).verify(delivery.body, headers) as Record<
      string,
      Record<string, unknown>
    >;
    expect(() => new Webhook(webhook.secret).verify(`${delivery.body} `, headers)).toThrow();
    expect(() => new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").verify(delivery.body, headers)).toThrow();

    // Statuspage's keys first and unchanged, Herald's own block beside them.
    expect(Object.keys(payload)).toEqual(["meta", "page", "incident", "herald"]);
    expect(Object.keys(payload.meta ?? {})).toEqual(["unsubscribe", "documentation"]);
    expect(payload.page).toEqual({
      id: expect.any(String),
      status_indicator: "major",
      status_description: expect.any(String),
    });
    const event = await openedEvent();
    const herald = payload.herald as Record<string, unknown> & { links: Record<string, string> };
    expect(herald).toMatchObject({
      version: 2,
      event: "incident.opened",
      event_id: event.id,
      created_at: event.createdAt,
      incident_update_id: event.updateId,
      postmortem: null,
    });
    expect(herald.links).toEqual({
      incident: `https://status.acme.test/incidents/${incidentId}/`,
      manage: expect.stringMatching(/^https:\/\/status\.acme\.test\/subscribe\/manage\?token=/),
      unsubscribe: payload.meta?.unsubscribe,
      documentation: "https://status.acme.test/api/openapi.json",
    });
    expect(payload.meta?.documentation).toBe(herald.links.documentation);
    const status = await api.request<{ status: { indicator: string; description: string } }>(
      "GET",
      "/api/v2/status.json",
      { as: null },
    );
    expect(payload.page?.status_description).toBe(status.body.status.description);
    // The same serializer as /api/v2: the incident is exactly what incidents.json shows.
    const v2 = await api.request<{ incidents: V2Incident[] }>("GET", "/api/v2/incidents.json", { as: null });
    expect(payload.incident).toEqual(v2.body.incidents[0]);
    expect(delivery.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("a json webhook's own links work: manage opens its preferences, unsubscribe stops its deliveries", async () => {
    const webhook = await addWebhook({ format: "json" });
    await transport.send(await requestFor(webhook.id));
    const payload = JSON.parse(receiver.received[0]?.body ?? "{}") as {
      meta: { unsubscribe: string };
      herald: { links: { manage: string } };
    };
    const local = (url: string) => url.replace("https://status.acme.test", "");
    const manage = await api.request<string>("GET", local(payload.herald.links.manage), { as: null });
    expect(manage.status).toBe(200);
    expect(manage.body).toContain(receiver.url());
    const asked = await api.request<string>("GET", local(payload.meta.unsubscribe), { as: null });
    expect(asked.status).toBe(200);
    expect((await stored(webhook.id)).state).toBe("active");
    const left = await api.request<string>("POST", local(payload.meta.unsubscribe), { as: null });
    expect(left.status).toBe(200);
    expect((await stored(webhook.id)).state).toBe("unsubscribed");
    const context = {
      db: api.db,
      clock: api.clock,
      publicUrl: "https://status.acme.test",
      linkSecret: api.linkSecret,
      mailFrom: "s@acme.test",
    };
    expect(await (await webhookMessagesFor(context, await openedEvent()))?.(await stored(webhook.id))).toBeNull();
  });

  it("slack, discord and teams webhooks get the shapes their incoming webhooks accept, with the update as plain text", async () => {
    const bodies: Record<string, Record<string, unknown>> = {};
    for (const format of ["slack", "discord", "teams"]) {
      const webhook = await addWebhook({ format, url: receiver.url(`/${format}`) });
      expect((await transport.send(await requestFor(webhook.id))).ok).toBe(true);
      const received = receiver.received.find((r) => r.path === `/${format}`);
      bodies[format] = JSON.parse(received?.body ?? "{}");
      // Every POST is signed, whatever the format.
      expect(received?.headers["webhook-signature"]).toMatch(/^v1,/);
      // No control characters anywhere, even escaped.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
      expect(received?.body).not.toMatch(/\\u00[01][0-9a-f]|[\u0000-\u0009\u000b-\u001f]/);
    }
    const plain = "We found a bad deploy & are rolling it back.\n\n- step one\n- step <two>";
    const link = `https://status.acme.test/incidents/${incidentId}/`;

    const slack = bodies.slack as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string }; elements?: unknown[] }[];
    };
    expect(slack.text).toBe(`[Identified] Elevated API error rates: ${link}`);
    expect(slack.blocks.map((b) => b.type)).toEqual(["header", "section", "context", "section"]);
    expect(slack.blocks[0]?.text).toEqual({
      type: "plain_text",
      text: "[Identified] Elevated API error rates",
      emoji: false,
    });
    expect(slack.blocks[1]?.text).toEqual({ type: "plain_text", text: plain, emoji: false });
    expect(slack.blocks[2]?.elements).toEqual([
      { type: "plain_text", text: "API: Partial outage", emoji: false },
      { type: "plain_text", text: "Acme Status", emoji: false },
    ]);
    expect(slack.blocks[3]?.text).toEqual({ type: "mrkdwn", text: `<${link}|View on the status page>` });

    // Discord reads markdown in the embed: the same text with a backslash before each markup character.
    const discord = bodies.discord as { allowed_mentions: unknown; embeds: Record<string, unknown>[] };
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.embeds).toHaveLength(1);
    expect(discord.embeds[0]).toMatchObject({
      title: "\\[Identified\\] Elevated API error rates",
      url: link,
      description: "We found a bad deploy & are rolling it back.\n\n\\- step one\n\\- step \\<two\\>",
      // The page's colour and words for a major impact (core/presentation/status.ts).
      color: 0xbc4c00,
      fields: [
        { name: "Status", value: "Identified", inline: true },
        { name: "Impact", value: "Major impact", inline: true },
        { name: "Components", value: "API\\: Partial outage", inline: false },
      ],
    });

    const teams = bodies.teams as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
    };
    expect(teams.type).toBe("message");
    expect(teams.attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0]?.content).toMatchObject({
      type: "AdaptiveCard",
      version: "1.4",
      actions: [{ type: "Action.OpenUrl", url: link }],
    });
    expect(JSON.stringify(teams.attachments[0]?.content.body)).toContain(JSON.stringify(plain));
  });
});

describe("webhook delivery", () => {
  it("a 500 is retried and the retry, with the same webhook-id, succeeds", async () => {
    const webhook = await addWebhook({});
    receiver.answer({ status: 500, body: "boom" });
    const first = await transport.send(await requestFor(webhook.id));
    expect(first).toEqual({ ok: false, permanent: false, reply: "HTTP 500 boom" });
    api.clock.advance(2000);
    const second = await transport.send(await requestFor(webhook.id));
    expect(second).toEqual({
      ok: true,
      reply: "HTTP 200 ok",
      messageId: `msg_${(await openedEvent()).id}_${webhook.id}`,
    });
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual([
      second.ok && second.messageId,
      second.ok && second.messageId,
    ]);
  });

  it("408 and 429 are retried; 410 and other 4xx fail that delivery for good; redirects are not followed", async () => {
    const webhook = await addWebhook({});
    receiver.answer({ status: 408 }, { status: 429 }, { status: 410, body: "gone" }, { status: 400 });
    receiver.answer({ status: 302, headers: { location: receiver.url("/elsewhere") } });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await transport.send(await requestFor(webhook.id)));
    expect(results.map((r) => (r.ok ? "sent" : r.permanent ? "failed" : "retry"))).toEqual([
      "retry",
      "retry",
      "failed",
      "failed",
      "failed",
    ]);
    expect(results[2]?.reply).toBe("HTTP 410 gone");
    expect(receiver.received.map((r) => r.path)).not.toContain("/elsewhere");
  });

  it("a receiver that never answers is given up after the timeout and retried later; a huge reply is cut short", async () => {
    const webhook = await addWebhook({});
    receiver.answer("hang");
    const started = Date.now();
    const result = await transport.send(await requestFor(webhook.id));
    expect(result).toMatchObject({
      ok: false,
      permanent: false,
      reply: expect.stringContaining("no answer within 1 s"),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    receiver.answer({ status: 200, body: "x".repeat(1_000_000) });
    const big = await transport.send(await requestFor(webhook.id));
    expect(big.ok).toBe(true);
    expect(big.reply.length).toBeLessThanOrEqual(220);
  });

  it("without HERALD_ALLOW_PRIVATE_WEBHOOKS, a send to a private or forbidden target is refused before connecting", async () => {
    const strict = createWebhookTransport({ policy: { allowPrivate: false } });
    const webhook = await addWebhook({});
    const base = await requestFor(webhook.id);
    for (const url of [
      receiver.url(),
      "http://127.0.0.1:8080/hook",
      "http://10.0.0.1/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:8080/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://localhost:8080/hook",
      "http://user:pass@example.com/hook",
      "file:///etc/passwd",
      "gopher://127.0.0.1:8080/_",
    ]) {
      const result = await strict.send({ ...base, url });
      expect(result, url).toMatchObject({ ok: false, permanent: true, reply: expect.stringMatching(/^refused/) });
    }
    await strict.close();
    expect(receiver.received).toHaveLength(0);
  });

  it("a name that resolves to a loopback address is refused at connect time (DNS rebinding)", async () => {
    const refused = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup({ allowPrivate: false })("localhost", { all: true }, (error) => resolve(error)),
    );
    expect(refused?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    // This machine's own name usually resolves to loopback: a URL that passes every syntax check.
    const own = hostname();
    const address = await lookup(own).catch(() => null);
    if (address && ["127.", "::1"].some((p) => address.address.startsWith(p))) {
      const strict = createWebhookTransport({ policy: { allowPrivate: false } });
      const base = await requestFor((await addWebhook({})).id);
      const result = await strict.send({ ...base, url: `http://${own}:8080/hook` });
      expect(result).toMatchObject({
        ok: false,
        permanent: true,
        reply: expect.stringContaining(`${own} resolves to`),
      });
      await strict.close();
    }
  });
});

describe("webhook health", () => {
  async function record(id: string, outcome: WebhookOutcome) {
    const row = await stored(id);
    const { statements, disabled } = webhookOutcomeStatements(api.db, row, outcome, api.clock.now());
    const [first, ...rest] = statements;
    if (first) await api.db.batch([first, ...rest]);
    return disabled;
  }
  const ownerNotices = () =>
    api.db.select().from(notificationEvents).where(eq(notificationEvents.kind, "webhook.disabled"));

  it("a webhook failing for 24 hours is disabled once and its owner is told by mail", async () => {
    const webhook = await addWebhook({});
    expect(await record(webhook.id, "retry")).toBe(false);
    api.clock.advance(23 * 3600_000);
    expect(await record(webhook.id, "retry")).toBe(false);
    expect((await stored(webhook.id)).state).toBe("active");
    api.clock.advance(3600_000);
    expect(await record(webhook.id, "retry")).toBe(true);
    const row = await stored(webhook.id);
    expect(row).toMatchObject({ state: "disabled", disabledAt: api.clock.now().toISOString() });
    const notices = await ownerNotices();
    expect(notices).toMatchObject([{ kind: "webhook.disabled", subscriberId: webhook.id }]);
    const [job] = await api.db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `notify:${notices[0]?.id}`));
    expect(job).toMatchObject({ kind: "notify", payload: { eventId: notices[0]?.id } });
    // Later failures neither disable it again nor tell the owner twice.
    expect(await record(webhook.id, "retry")).toBe(false);
    expect(await ownerNotices()).toHaveLength(1);
  });

  it(`${DISABLE_AFTER_PERMANENT_FAILURES} deliveries refused for good in a row disable it; a success in between resets the run`, async () => {
    const webhook = await addWebhook({});
    for (let i = 0; i < DISABLE_AFTER_PERMANENT_FAILURES - 1; i++) await record(webhook.id, "failed");
    await record(webhook.id, "sent");
    expect(await stored(webhook.id)).toMatchObject({ state: "active", hardFailures: 0, failingSince: null });
    const outcomes = [];
    for (let i = 0; i < DISABLE_AFTER_PERMANENT_FAILURES; i++) outcomes.push(await record(webhook.id, "failed"));
    expect(outcomes.at(-1)).toBe(true);
    expect((await stored(webhook.id)).state).toBe("disabled");
    expect(await ownerNotices()).toHaveLength(1);
  });
});

describe("managing webhooks", () => {
  it.each([
    ["http://127.0.0.1/hook"],
    ["http://10.1.2.3/hook"],
    ["http://169.254.169.254/latest/meta-data"],
    ["http://[::1]/hook"],
    ["http://localhost/hook"],
    ["http://user:pass@example.com/hook"],
    ["file:///etc/passwd"],
    ["gopher://example.com/"],
    ["https://example.com:22/"],
  ])("creating a webhook for %s is refused with a 422 naming url, and nothing is written", async (url) => {
    const strict = await createTestApi(api.clock);
    try {
      const response = await strict.request<{ errors: { path: string }[] }>("POST", "/api/webhooks", {
        as: "admin",
        json: { url, owner_email: "ops@acme.test" },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors.map((e) => e.path)).toEqual(["url"]);
      expect(await strict.db.select().from(subscribers)).toEqual([]);
    } finally {
      await strict.cleanup();
    }
  });

  it("the secret is shown once: the list never holds it; rotating shows a new one; deleting removes the webhook", async () => {
    const webhook = await addWebhook({ format: "slack", components: [componentId] });
    const list = await api.request<Record<string, unknown>[]>("GET", "/api/webhooks", { as: "admin" });
    expect(list.body).toEqual([
      expect.objectContaining({ id: webhook.id, url: receiver.url(), format: "slack", components: [componentId] }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(webhook.secret);
    expect((await api.request("GET", "/api/webhooks", { as: "commander" })).status).toBe(403);

    const rotated = await api.request<Created>("POST", `/api/webhooks/${webhook.id}/rotate-secret`, { as: "admin" });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(webhook.secret);
    expect((await stored(webhook.id)).webhookSecret).toBe(rotated.body.secret);

    expect((await api.request("DELETE", `/api/webhooks/${webhook.id}`, { as: "admin" })).status).toBe(204);
    expect(await api.db.select().from(subscribers)).toEqual([]);
    expect(await api.db.select().from(subscriberComponents)).toEqual([]);
  });

  it("a second webhook for the same URL is refused, naming url", async () => {
    await addWebhook({});
    const again = await api.request<{ errors: { path: string }[] }>("POST", "/api/webhooks", {
      as: "admin",
      json: { url: receiver.url(), owner_email: "other@acme.test" },
    });
    expect(again.status).toBe(422);
    expect(again.body.errors.map((e) => e.path)).toEqual(["url"]);
  });

  it("a self-serve webhook waits unconfirmed for its owner's confirmation mail, and answering twice writes nothing more", async () => {
    const ctx = { ...contextFor(api.db, api.clock), settings: PRIVATE_WEBHOOKS_ALLOWED };
    const input = { url: receiver.url("/self"), format: "discord", owner_email: "Dev@Example.test" };
    expect(await run(ctx, subscribeWebhook, input)).toEqual({ status: "confirmation_sent" });
    const [row] = await api.db.select().from(subscribers);
    expect(row).toMatchObject({
      state: "unconfirmed",
      source: "form",
      ownerEmail: "dev@example.test",
      format: "discord",
    });
    const confirm = await api.db
      .select()
      .from(notificationEvents)
      .where(eq(notificationEvents.kind, "subscription.confirm"));
    expect(confirm).toMatchObject([{ subscriberId: row?.id }]);
    expect(await run(ctx, subscribeWebhook, input)).toEqual({ status: "confirmation_sent" });
    expect(await api.db.select().from(subscribers)).toHaveLength(1);
    expect(
      await api.db.select().from(notificationEvents).where(eq(notificationEvents.kind, "subscription.confirm")),
    ).toHaveLength(1);
  });
});
