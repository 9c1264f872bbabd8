import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParsedMail } from "mailparser";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentDeliveries } from "../../core/notifications/incident-deliveries.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink.ts";
import { type ReceivedWebhook, startWebhookReceiver } from "../helpers/webhook-receiver.ts";

/*
 * Issue 7's whole journey on the built system (`herald start`, as `npm start` runs it), with a real
 * SMTP server in its own process and a real webhook receiver: subscribe to one component, confirm from
 * the received mail, get exactly one mail per update touching it and none for another component, leave
 * with one click from the List-Unsubscribe header, hear nothing more.
 */

const TOKEN = "hrld_journey_admin_token_0123456789";
const READER = "reader@example.com";

let dataDir: string;
let sink: SmtpSink;
let herald: HeraldProcess;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-journey-"));
  sink = await startSmtpSink(dataDir, { raw: true });
  receiver = await startWebhookReceiver();
  const port = await freePort();
  herald = await startHeraldProcess(dataDir, {
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://localhost:${port}`,
    SMTP_URL: sink.url,
    MAIL_FROM: "Acme Status <status@acme.test>",
    HERALD_ADMIN_TOKEN: TOKEN,
    HERALD_ALLOW_PRIVATE_WEBHOOKS: "1",
  });
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
  await sink?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, json?: unknown): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function mailsTo(address: string): Promise<ParsedMail[]> {
  const mails = await sink.mails();
  return mails.filter((mail) => {
    const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
    return to.some((a) => a.value.some((v) => v.address === address));
  });
}

/** Waits until the incident's latest event is fanned out and every delivery it queued has gone out. */
async function settled(incidentId: string): Promise<IncidentDeliveries["events"][number]> {
  return until(`the deliveries of ${incidentId}`, async () => {
    const report = await api<IncidentDeliveries>("GET", `/api/incidents/${incidentId}/deliveries`);
    const last = report.events.at(-1);
    return last?.fanout_done && last.sent + last.failed === last.queued ? last : null;
  });
}

function header(mail: ParsedMail, name: string): string | undefined {
  return mail.headerLines.find((h) => h.key === name.toLowerCase())?.line.replace(/^[^:]+:\s*/, "");
}

function verified(delivery: ReceivedWebhook, secret: string): Record<string, unknown> {
  return new Webhook(secret).verify(delivery.body, {
    "webhook-id": String(delivery.headers["webhook-id"]),
    "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
    "webhook-signature": String(delivery.headers["webhook-signature"]),
  }) as Record<string, unknown>;
}

type Component = { id: string; name: string; is_group?: boolean; group_id?: string | null };
type Incident = { id: string; name: string };

describe("a subscriber's whole journey, on the built system with a real SMTP server", () => {
  it("subscribe to one component → confirm → one mail per update touching it, none for another → one-click unsubscribe → nothing more", async () => {
    const components = (await api<Component[]>("GET", "/api/components")).filter((c) => !c.is_group);
    const [mine, other] = components;
    if (!mine || !other) throw new Error("the demo page needs two components");

    const json = await api<{ secret: string }>("POST", "/api/webhooks", {
      url: receiver.url("/json"),
      format: "json",
      owner_email: "ops@example.com",
      components: [mine.id],
    });
    const slack = await api<{ secret: string }>("POST", "/api/webhooks", {
      url: receiver.url("/slack"),
      format: "slack",
      owner_email: "ops@example.com",
      components: [mine.id],
    });

    // Subscribe through the form's POST, as the static page's form sends it.
    const form = new URLSearchParams([
      ["email", READER],
      ["scope", "components"],
      ["components", mine.id],
    ]);
    const subscribed = await fetch(`${herald.url}/subscribe`, { method: "POST", body: form });
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain("Check your inbox");

    const [confirmation] = await until("the confirmation mail", async () => {
      const mails = await mailsTo(READER);
      return mails.length > 0 ? mails : null;
    });
    if (!confirmation) throw new Error("no confirmation");
    expect(confirmation.subject).toMatch(/confirm/i);
    const confirmLink = /(https?:\/\/\S+\/subscribe\/confirm\?token=[\w.%-]+)/.exec(confirmation.text ?? "")?.[1];
    if (!confirmLink) throw new Error(`no confirmation link in:\n${confirmation.text}`);
    // A GET (a mail scanner) only shows the button; the POST confirms.
    expect(await (await fetch(confirmLink)).text()).toContain("Confirm subscription");
    const confirmed = await fetch(confirmLink, { method: "POST" });
    expect(await confirmed.text()).toContain("You&#39;re subscribed");

    // A self-serve webhook from the same form: its owner confirms by mail and is shown the secret once.
    const hookForm = new URLSearchParams([
      ["email", "owner@example.com"],
      ["scope", "components"],
      ["components", mine.id],
      ["webhook_url", receiver.url("/self")],
    ]);
    expect(await (await fetch(`${herald.url}/subscribe`, { method: "POST", body: hookForm })).text()).toContain(
      "Check your inbox",
    );
    const [ownerMail] = await until("the webhook owner's confirmation", async () => {
      const mails = await mailsTo("owner@example.com");
      return mails.length > 0 ? mails : null;
    });
    expect(ownerMail?.text).toContain("to post its updates to the webhook at 127.0.0.1");
    const hookLink = /(https?:\/\/\S+\/subscribe\/confirm\?token=[\w.%-]+)/.exec(ownerMail?.text ?? "")?.[1] ?? "";
    const hookConfirmed = await (await fetch(hookLink, { method: "POST" })).text();
    expect(hookConfirmed).toContain("Webhook confirmed");
    const selfSecret = /(whsec_[A-Za-z0-9+/=]+)/.exec(hookConfirmed)?.[1];
    if (!selfSecret) throw new Error("the confirmation page shows no secret");
    expect(await (await fetch(hookLink, { method: "POST" })).text()).not.toContain("whsec_");

    const opened = await api<Incident>("POST", "/api/incidents", {
      name: "Elevated API error rates",
      status: "investigating",
      body: "We are investigating **elevated error rates** on the API.",
      components: { [mine.id]: "partial_outage" },
    });
    await settled(opened.id);
    const afterOpen = await mailsTo(READER);
    expect(afterOpen).toHaveLength(2);
    const first = afterOpen[1];
    if (!first) throw new Error("no incident mail");
    expect(first.subject).toBe("[Investigating] Elevated API error rates");
    expect(first.text).toContain("We are investigating elevated error rates on the API.");
    expect(first.html).toContain("<strong>elevated error rates</strong>");
    expect(first.messageId).toMatch(/^<.+@localhost>$/);
    expect(first.inReplyTo).toBeUndefined();
    const listUnsubscribe = header(first, "List-Unsubscribe") ?? "";
    expect(header(first, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(first, "List-Id")).toContain("<localhost>");
    expect(listUnsubscribe).toMatch(/<mailto:status@acme\.test\?subject=unsubscribe>/);

    // Every webhook got it, signed so that standardwebhooks verifies them.
    const hooks = await until("the three webhooks", async () =>
      receiver.received.length >= 3 ? receiver.received : null,
    );
    const jsonHook = hooks.find((h) => h.path === "/json");
    const slackHook = hooks.find((h) => h.path === "/slack");
    if (!jsonHook || !slackHook) throw new Error("a webhook got nothing");
    const payload = verified(jsonHook, json.secret) as { incident: { name: string } };
    expect(payload.incident.name).toBe("Elevated API error rates");
    expect(JSON.stringify(verified(slackHook, slack.secret))).toContain(
      "We are investigating elevated error rates on the API.",
    );
    expect(() => verified(jsonHook, slack.secret)).toThrow();
    const selfHook = hooks.find((h) => h.path === "/self");
    if (!selfHook) throw new Error("the self-serve webhook got nothing");
    expect((verified(selfHook, selfSecret) as { incident: { name: string } }).incident.name).toBe(
      "Elevated API error rates",
    );

    // A later update threads under the first mail.
    await api("POST", `/api/incidents/${opened.id}/updates`, {
      status: "identified",
      body: "A bad deploy; rolling back.",
    });
    await settled(opened.id);
    const afterUpdate = await mailsTo(READER);
    expect(afterUpdate).toHaveLength(3);
    const second = afterUpdate[2];
    expect(second?.subject).toBe("[Identified] Elevated API error rates");
    expect(second?.inReplyTo).toBe(first.messageId);
    expect(second?.references).toEqual(first.messageId);

    // An incident touching only another component: no mail.
    const elsewhere = await api<Incident>("POST", "/api/incidents", {
      name: "Slow dashboard",
      body: "The dashboard is slow.",
      components: { [other.id]: "degraded_performance" },
    });
    expect((await settled(elsewhere.id)).queued).toBe(0);
    expect(await mailsTo(READER)).toHaveLength(3);

    // One click from the header (RFC 8058): a POST with List-Unsubscribe=One-Click.
    const oneClick = /<(https?:\/\/[^>]+)>/.exec(listUnsubscribe)?.[1];
    if (!oneClick) throw new Error(`no http(s) URL in List-Unsubscribe: ${listUnsubscribe}`);
    const left = await fetch(oneClick, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(left.status).toBe(200);

    const later = await api<Incident>("POST", "/api/incidents", {
      name: "API latency",
      body: "Requests to the API are slow.",
      components: { [mine.id]: "degraded_performance" },
    });
    const last = await settled(later.id);
    expect(last.queued).toBe(3); // the three webhooks, not the reader
    expect(await mailsTo(READER)).toHaveLength(3);
  }, 120_000);
});
