import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../core/actions/clock.ts";
import { WEBHOOK_RETRY } from "../../../core/notifications/channel.ts";
import { webhookMessagesFor } from "../../../core/notifications/webhook/channel.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { jobs, notificationEvents } from "../../../db/schema.ts";
import { notifyHandler } from "../../../jobs/handlers/notify.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createWebhookTransport } from "../../../jobs/notify/webhook-transport.ts";
import { type JobRunner, startJobRunner } from "../../../jobs/runner.ts";
import { insertWaitingDraft } from "../../helpers/alert-drafts.ts";
import { createTestApi, PRIVATE_WEBHOOKS_ALLOWED, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { webhookContract } from "../../helpers/webhook-contract.ts";
import { startWebhookReceiver } from "../../helpers/webhook-receiver.ts";

/*
 * Every kind of event Herald POSTs to a `json` webhook, made through the API and the scheduler's tick,
 * fanned out by the outbox runner and sent by the real sender over HTTP to a real receiver; each body
 * received is checked against the OpenAPI document the API serves, with a JSON Schema 2020-12 validator.
 */

let api: TestApi;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let runner: JobRunner;
let sender: Sender;

beforeEach(async () => {
  // The API and the scheduler run on a clock the test moves through the days; the runner and the
  // sender, in the past of which all of that lies, on the real one (as separate processes would).
  api = await createTestApi(manualClock("2026-11-26T10:00:00.000Z"), PRIVATE_WEBHOOKS_ALLOWED);
  receiver = await startWebhookReceiver();
  const transport = createWebhookTransport({ policy: { allowPrivate: true }, timeoutMs: 5000 });
  sender = startSender({
    db: api.db,
    clock: systemClock,
    channels: {
      webhook: { channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor }, transport },
    },
    context: { db: api.db, clock: systemClock, publicUrl: "https://status.acme.test", mailFrom: "status@acme.test" },
    pollMs: 50,
    log: () => {},
  });
  runner = startJobRunner({
    db: api.db,
    clock: systemClock,
    pollMs: 50,
    handlers: {
      // This test watches webhooks, not pages (rendering is tested in test/e2e/).
      render: async () => {},
      notify: notifyHandler(api.db, systemClock, { onQueued: () => sender.wake() }),
      evaluate_alerts: async () => {},
      person_mail: async () => {},
    },
  });
});

afterEach(async () => {
  await runner.stop();
  await sender.stop();
  await receiver.close();
  await api.cleanup();
});

async function call<T = { id: string }>(method: string, path: string, json?: unknown): Promise<T> {
  const response = await api.request<T>(method, path, { json, as: "admin" });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

async function tickAt(iso: string): Promise<void> {
  api.clock.set(iso);
  await tick(contextFor(api.db, api.clock));
}

type Received = {
  herald: { event: string; next_update_due_at: string | null; postmortem: { body: string; body_html: string } | null };
};

/** Waits until every event is fanned out and each of its deliveries sent (or failed). */
async function settled(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const events = await api.db.select().from(notificationEvents);
    const pending = await api.db.select().from(jobs).where(eq(jobs.kind, "notify"));
    if (pending.length === 0 && events.every((e) => e.fanoutDoneAt && e.sent + e.failed === e.queued)) return;
    if (Date.now() > deadline) throw new Error("the events were not all delivered within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function receivedEvents(): { body: Received; raw: string; headers: Record<string, string> }[] {
  return receiver.received.map((r) => ({
    raw: r.body,
    body: JSON.parse(r.body) as Received,
    headers: {
      "webhook-id": String(r.headers["webhook-id"]),
      "webhook-timestamp": String(r.headers["webhook-timestamp"]),
      "webhook-signature": String(r.headers["webhook-signature"]),
    },
  }));
}

describe("the json webhook contract", () => {
  it("every kind of event a json webhook receives matches its description in the served OpenAPI document", async () => {
    const component = await call("POST", "/api/components", { name: "API" });
    const webhook = await call<{ id: string; secret: string }>("POST", "/api/webhooks", {
      url: receiver.url(),
      format: "json",
      owner_email: "ops@acme.test",
      team: true, // the team's own webhook: it also gets team events (update overdue)
    });

    // An incident: opened with a promise, updated, the promise lapses, resolved, reopened, resolved again, its postmortem published.
    const incident = await call("POST", "/api/incidents", {
      name: "Elevated API error rates",
      status: "investigating",
      body: "We are **investigating** errors.",
      components: { [component.id]: "major_outage" },
      next_update_in_minutes: 30,
    });
    api.clock.advance(10 * 60_000);
    await call("POST", `/api/incidents/${incident.id}/updates`, {
      status: "identified",
      body: "A bad deploy.",
      next_update_in_minutes: 15,
    });
    await tickAt("2026-11-26T10:30:00.000Z");
    await call("POST", `/api/incidents/${incident.id}/updates`, {
      status: "resolved",
      body: "Rolled back.",
      components: { [component.id]: "operational" },
    });
    await call("POST", `/api/incidents/${incident.id}/reopen`, { status: "identified", body: "It came back." });
    await call("POST", `/api/incidents/${incident.id}/updates`, { status: "resolved", body: "Fixed for good." });
    const postmortem = "## What happened\n\nA deploy with a *bad* config; we now [check it](https://acme.test/checks).";
    await call("PUT", `/api/incidents/${incident.id}/postmortem`, { body: postmortem });

    // A maintenance: scheduled, moved, reminded of, started, updated, completed; another one cancelled.
    api.clock.set("2026-11-26T12:00:00.000Z");
    const maintenance = await call("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: "2026-11-27T10:00:00Z",
      scheduled_until: "2026-11-27T12:00:00Z",
      components: { [component.id]: "under_maintenance" },
    });
    await call("POST", `/api/incidents/${maintenance.id}/reschedule`, {
      scheduled_for: "2026-11-28T10:00:00Z",
      scheduled_until: "2026-11-28T12:00:00Z",
    });
    await tickAt("2026-11-28T09:00:00.000Z");
    api.clock.set("2026-11-28T09:59:00.000Z");
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "in_progress", body: "Started." });
    await call("POST", `/api/incidents/${maintenance.id}/extend`, { scheduled_until: "2026-11-28T13:00:00Z" });
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "in_progress", body: "Halfway." });
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "completed", body: "Done." });
    const cancelled = await call("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Network work",
      scheduled_for: "2026-12-01T10:00:00Z",
      scheduled_until: "2026-12-01T11:00:00Z",
    });
    await call("POST", `/api/incidents/${cancelled.id}/cancel`, {});

    // A draft incident from alerts: the team's webhook is told it waits, then reminded.
    api.clock.set("2026-12-02T09:00:00.000Z");
    await insertWaitingDraft(api.db, api.clock.now(), { components: { [component.id]: "partial_outage" } });
    // The weekly review, due Wednesdays at 09:00 (the page's zone, UTC), goes to the team's webhook too.
    await call("PATCH", "/api/page", { review_weekday: 3, review_hour: 9 });
    await tickAt("2026-12-02T09:00:00.000Z");
    await tickAt("2026-12-02T09:10:00.000Z");

    // A component retired: only a webhook naming it is told (deprecated, reminded, sunset; its last POST).
    const legacy = await call("POST", "/api/components", { name: "Legacy API" });
    const scoped = await call<{ id: string; secret: string }>("POST", "/api/webhooks", {
      url: receiver.url("/legacy"),
      format: "json",
      owner_email: "ops@acme.test",
      components: [legacy.id],
    });
    // Earlier than the rest: the runner's notify jobs are due by the wall clock.
    api.clock.set("2026-11-01T09:00:00.000Z");
    await call("POST", `/api/components/${legacy.id}/deprecate`, {
      sunset_at: "2026-12-01T09:00:00Z",
      message: "Move to **API v2**.",
    });
    await settled();
    await tickAt("2026-11-20T09:00:00.000Z");
    await settled();
    await tickAt("2026-12-01T09:00:00.000Z");

    await settled();
    const received = receivedEvents();
    const document = (
      await api.request<{ webhooks: Record<string, unknown> }>("GET", "/api/openapi.json", { as: null })
    ).body;
    const contract = webhookContract(document);

    // Every payload matches the description of its own event type, and is signed.
    for (const { body, raw, headers } of received) {
      expect(contract.validate(body.herald.event, body), `${body.herald.event}: ${raw}`).toEqual([]);
      const secret = body.herald.event.startsWith("component.") ? scoped.secret : webhook.secret;
      expect(() => new Webhook(secret).verify(raw, headers)).not.toThrow();
    }
    // The journey sent every event type the document describes.
    const sent = new Set(received.map((r) => r.body.herald.event));
    expect(contract.events.filter((event) => !sent.has(event))).toEqual([]);
    expect([...sent].filter((event) => !contract.events.includes(event))).toEqual([]);

    // The postmortem's event carries the postmortem itself, as written and as the page shows it.
    const published = received.find((r) => r.body.herald.event === "postmortem.published")?.body.herald.postmortem;
    expect(published?.body).toBe(postmortem);
    expect(published?.body_html).toContain('<a href="https://acme.test/checks"');

    // The overdue reminder names the promise that lapsed, though the incident was resolved before it went out.
    const overdue = received.find((r) => r.body.herald.event === "incident.update_overdue")?.body.herald;
    expect(overdue?.next_update_due_at).toBe("2026-11-26T10:25:00.000Z");

    // And a payload that strays from the description is caught: the validator is not a formality.
    const sample = received[0]?.body as unknown as Record<string, Record<string, unknown>>;
    expect(contract.validate("incident.opened", { ...sample, herald: { ...sample.herald, event: "x" } })).not.toEqual(
      [],
    );
    expect(contract.validate("incident.opened", { ...sample, meta: { ...sample.meta, manage: "x" } })).not.toEqual([]);
  }, 60_000);
});
