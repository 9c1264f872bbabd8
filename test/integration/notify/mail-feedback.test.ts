import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { RESEND_EVENTS_PATH } from "../../../api/routes/mail-feedback.ts";
import { systemClock } from "../../../core/actions/clock.ts";
import { EMAIL_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import type { AdminSubscriber } from "../../../core/subscribers/admin/subscriber-view.ts";
import { deliveries, notificationEvents, subscribers } from "../../../db/schema.ts";
import { resendTransport } from "../../../jobs/notify/resend-transport.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { queueIncidentOpened, senderTables } from "../../helpers/queued-deliveries.ts";
import { type ResendStandIn, startResendStandIn } from "../../helpers/resend-standin.ts";
import { addSubscribers, deliveryStates } from "../../helpers/subscribers.ts";

const SECRET = `whsec_${Buffer.from("a-signing-secret-for-the-bounce-tests").toString("base64")}`;
const clock = systemClock;

let api: TestApi;
let server: ServerType;
let standIn: ResendStandIn;
let sender: Sender | null = null;
let herald = "";

beforeEach(async () => {
  api = await createTestApi(undefined, { mailWebhookSecret: SECRET });
  // The app as `herald start` serves it, on a real port: the stand-in posts its reports there.
  const app = createApp({ db: api.db, clock: api.clock, log: () => {}, settings: { mailWebhookSecret: SECRET } });
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  herald = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn = await startResendStandIn(api.dir, { webhook: { url: `${herald}${RESEND_EVENTS_PATH}`, secret: SECRET } });
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await standIn.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await api.cleanup();
});

function startSending(): void {
  const transport = resendTransport({ apiKey: standIn.apiKey, apiUrl: standIn.url, concurrency: 2, lingerMs: 10 });
  sender = startSender({
    db: api.db,
    clock,
    channels: { email: { channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor }, transport } },
    context: { db: api.db, clock, publicUrl: "https://status.acme.test", mailFrom: "Acme Status <status@acme.test>" },
    pollMs: 50,
    log: () => {},
  });
}

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function subscriber(id: string) {
  const [row] = await api.db.select().from(subscribers).where(eq(subscribers.id, id));
  return row;
}

async function adminView(address: string): Promise<AdminSubscriber | undefined> {
  const { body } = await api.request<AdminSubscriber[]>("GET", `/api/subscribers?q=${encodeURIComponent(address)}`, {
    as: "admin",
  });
  return body[0];
}

/** A report as Resend posts it, signed with `secret` (Svix headers). */
function report(secret: string, body: object, at = new Date()) {
  const text = JSON.stringify(body);
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  return {
    text,
    headers: {
      "Content-Type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(id, at, text),
    },
  };
}

const bounceOf = (to: string) => ({
  type: "email.bounced",
  created_at: new Date().toISOString(),
  data: {
    email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
    to: [to],
    bounce: { type: "Permanent", message: "No such user" },
  },
});

describe("bounce and complaint reports from the mail provider", () => {
  it("a signed hard bounce quarantines the address: no more mail, the reason shown to the admin, audited as Resend's", async () => {
    const [bouncing] = await addSubscribers(api.db, 1, {
      prefix: "b",
      address: () => "reader-hardbounce@example.test",
    });
    await addSubscribers(api.db, 3);
    startSending();
    const first = await queueIncidentOpened(api.db, clock);
    await until(async () => (await subscriber(bouncing ?? ""))?.state === "quarantined");
    const view = await adminView("reader-hardbounce@example.test");
    expect(view).toMatchObject({ state: "quarantined", quarantine_reason: "bounced", soft_bounces: 0 });
    const event = async () =>
      (await api.db.select().from(notificationEvents).where(eq(notificationEvents.id, first)))[0];
    await until(async () => {
      const row = await event();
      return row?.bounced === 1 && row.sent === 4;
    });
    expect(await event()).toMatchObject({ sent: 4, bounced: 1, complained: 0 });
    const { body: audit } = await api.request<{ action: string; actor: string }[]>("GET", "/api/audit", {
      as: "admin",
    });
    expect(audit.find((e) => e.action === "subscriber.hard_bounce")?.actor).toBe("Resend (provider:resend)");
    // The next update reaches the three others only.
    await queueIncidentOpened(api.db, clock);
    await until(async () => (await deliveryStates(api.db)).sent === 7);
    expect(standIn.accepted().filter((m) => m.to[0] === "reader-hardbounce@example.test")).toHaveLength(1);
  });

  it("a complaint quarantines the address too; a soft bounce is counted and the subscriber keeps getting mail", async () => {
    await addSubscribers(api.db, 1, { prefix: "c", address: () => "reader-complain@example.test" });
    await addSubscribers(api.db, 1, { prefix: "f", address: () => "reader-softbounce@example.test" });
    startSending();
    await queueIncidentOpened(api.db, clock);
    await until(async () => (await adminView("reader-softbounce@example.test"))?.soft_bounces === 1);
    await until(async () => (await adminView("reader-complain@example.test"))?.state === "quarantined");
    expect(await adminView("reader-complain@example.test")).toMatchObject({ quarantine_reason: "complained" });
    expect(await adminView("reader-softbounce@example.test")).toMatchObject({
      state: "active",
      quarantine_reason: null,
    });
  });

  it("an unsigned, forged or stale report is refused with a 401 problem and changes nothing", async () => {
    await addSubscribers(api.db, 1, { address: () => "victim@example.test" });
    const before = await senderTables(api.db);
    const forged = report(
      `whsec_${Buffer.from("someone-elses-secret-entirely").toString("base64")}`,
      bounceOf("victim@example.test"),
    );
    const stale = report(SECRET, bounceOf("victim@example.test"), new Date(Date.now() - 10 * 60_000));
    const unsigned = { text: forged.text, headers: { "Content-Type": "application/json" } };
    for (const attempt of [forged, stale, unsigned]) {
      const response = await fetch(`${herald}${RESEND_EVENTS_PATH}`, {
        method: "POST",
        headers: attempt.headers,
        body: attempt.text,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 401, type: "/problems/unauthorized" });
    }
    expect(await senderTables(api.db)).toEqual(before);
  });

  it("a report the provider sends again counts once; one about an unknown address is acknowledged and ignored", async () => {
    const [id] = await addSubscribers(api.db, 1, { address: () => "reader-softbounce@example.test" });
    startSending();
    await queueIncidentOpened(api.db, clock);
    await until(async () => (await subscriber(id ?? ""))?.softBounces === 1);
    const [delivery] = await api.db.select().from(deliveries);
    const again = report(SECRET, {
      type: "email.bounced",
      data: { email_id: delivery?.messageId, to: ["reader-softbounce@example.test"], bounce: { type: "Transient" } },
    });
    const response = await fetch(`${herald}${RESEND_EVENTS_PATH}`, {
      method: "POST",
      headers: again.headers,
      body: again.text,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ kind: "recorded", subscriber_id: id });
    expect((await subscriber(id ?? ""))?.softBounces).toBe(1);
    const unknown = report(SECRET, bounceOf("nobody@example.test"));
    const ignored = await fetch(`${herald}${RESEND_EVENTS_PATH}`, {
      method: "POST",
      headers: unknown.headers,
      body: unknown.text,
    });
    expect(await ignored.json()).toEqual({ kind: "ignored", reason: "not a subscriber's address" });
  });
});
