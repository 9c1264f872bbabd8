import { isNull, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMAIL_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { PersonMailLog } from "../../../core/people/person-mail-log.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { notificationEvents } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { smtpTransport } from "../../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { acceptByLink } from "./people-helpers.ts";

/**
 * Mail to a person (an invitation, a sign-in link) is mail like any other (docs/team.md, Signing in): a
 * personal event in the outbox, fanned out to one delivery, sent by the sender to a real SMTP server, retried
 * when refused for now, and in the delivery log with its recipient, state and attempts. On the workerd
 * project the API is the Worker: it writes the same rows, and the Node sender delivers them.
 */

let api: TestApi;
let sink: SmtpSink;
let sender: Sender | null = null;

beforeEach(async () => {
  api = await createTestApi(manualClock("2026-03-02T10:00:00.000Z"));
  sink = await startSmtpSink(api.dir, { raw: true });
});

afterEach(async () => {
  await sender?.stop();
  sender = null;
  await sink.stop();
  await api.cleanup();
});

/** Fans out what is new, then sends until nothing is pending, letting each retry's wait pass on the clock. */
async function deliver(): Promise<{ to: string; subject: string; text: string }[]> {
  const events = await api.db
    .select({ id: notificationEvents.id })
    .from(notificationEvents)
    .where(isNull(notificationEvents.fanoutDoneAt));
  for (const event of events) await fanOut(api.db, api.clock, event.id);
  sender ??= startSender({
    db: api.db,
    clock: api.clock,
    channels: {
      email: {
        channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
        transport: smtpTransport(sink.url),
      },
    },
    context: {
      db: api.db,
      clock: api.clock,
      publicUrl: "https://status.acme.test",
      linkSecret: api.linkSecret,
      mailFrom: "status@acme.test",
    },
    pollMs: 20,
    log: () => {},
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [pending] = await api.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM deliveries WHERE state IN ('queued', 'sending')`,
    );
    if (pending?.n === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending?.n} deliveries still pending`);
    api.clock.advance(1000);
    sender.wake();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return (await sink.mails()).map((mail) => ({
    to: mail.to && !Array.isArray(mail.to) ? mail.to.text : "",
    subject: mail.subject ?? "",
    text: mail.text ?? "",
  }));
}

async function invite(email: string, role = "commander"): Promise<void> {
  const invited = await api.request("POST", "/api/people/invitations", { as: "admin", json: { email, role } });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
}

async function mailLog(as: "admin" | "viewer" = "admin") {
  return api.request<PersonMailLog>("GET", "/api/people/mail", { as });
}

describe("mail to a person", () => {
  it("an invitation is delivered by the sender, its link works, and the delivery log shows it", async () => {
    await invite("dana@acme.test");
    const [mail] = await deliver();
    expect(mail).toMatchObject({ to: "dana@acme.test", subject: "You are invited to the Acme Status team" });
    const link = /https?:\/\/\S+\/admin\/invitation\?token=\S+/.exec(mail?.text ?? "")?.[0];
    if (!link) throw new Error("no link in the invitation");
    expect((await acceptByLink(api, link, "Dana Ops")).status).toBe(303);

    const log = await mailLog();
    expect(log.status).toBe(200);
    expect(log.body.mails).toEqual([
      expect.objectContaining({
        kind: "person.invitation",
        address: "dana@acme.test",
        person: "Dana Ops",
        state: "sent",
        attempts: 1,
        server_reply: expect.stringMatching(/^250/),
      }),
    ]);
    expect((await mailLog("viewer")).status).toBe(403);
  });

  it("a mail server that refuses for now is tried again, one that refuses for good fails; both are in the log", async () => {
    await invite("tempfail.erin@acme.test");
    await invite("bounce.frank@acme.test");
    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual(["tempfail.erin@acme.test"]);
    const byAddress = new Map((await mailLog()).body.mails.map((m) => [m.address, m]));
    expect(byAddress.get("tempfail.erin@acme.test")).toMatchObject({ state: "sent", attempts: 2 });
    expect(byAddress.get("bounce.frank@acme.test")).toMatchObject({
      state: "failed",
      attempts: 1,
      server_reply: expect.stringContaining("550"),
    });
  });

  it("a sign-in link is delivered and logged under the person's name, never its link", async () => {
    await invite("gina@acme.test");
    const [invitation] = await deliver();
    const link = /https?:\/\/\S+\/admin\/invitation\?token=\S+/.exec(invitation?.text ?? "")?.[0] ?? "";
    await acceptByLink(api, link, "Gina Lead");
    const asked = await api.app.request("http://127.0.0.1/admin/sign-in/link", {
      method: "POST",
      headers: { Origin: "http://127.0.0.1", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "gina@acme.test" }),
    });
    expect(asked.status).toBe(200);
    const mails = await deliver();
    expect(mails.at(-1)).toMatchObject({ to: "gina@acme.test", subject: "Sign in to Acme Status" });
    const log = (await mailLog()).body.mails;
    expect(log[0]).toMatchObject({ kind: "person.sign_in_link", person: "Gina Lead", state: "sent" });
    expect(JSON.stringify(log)).not.toContain("token");
  });
});

describe("an escalation's delivery log", () => {
  it("names the person each notice went to (whole to an admin, masked to a viewer)", async () => {
    await invite("hana@acme.test");
    const [invitation] = await deliver();
    const link = /https?:\/\/\S+\/admin\/invitation\?token=\S+/.exec(invitation?.text ?? "")?.[0] ?? "";
    await acceptByLink(api, link, "Hana Commander");
    const team = await api.request<{ people: { id: string; email: string }[] }>("GET", "/api/people");
    const hana = team.body.people.find((p) => p.email === "hana@acme.test");
    const policy = await api.request("PUT", "/api/escalation-policy", {
      as: "admin",
      json: { levels: [{ delay_minutes: 10, person_ids: [hana?.id], team_channels: [], daytime_only: false }] },
    });
    expect(policy.status).toBe(200);
    const opened = await api.request<{ id: string }>("POST", "/api/incidents", {
      json: { name: "Elevated API latency", status: "investigating", body: "Looking.", next_update_in_minutes: 15 },
    });
    api.clock.advance(16 * 60_000);
    expect((await tick(contextFor(api.db, api.clock))).escalated).toEqual([`${opened.body.id}:1`]);
    await deliver();

    const asAdmin = await api.request<IncidentDeliveries>("GET", `/api/incidents/${opened.body.id}/deliveries`, {
      as: "admin",
    });
    const escalated = asAdmin.body.events.find((e) => e.kind === "incident.escalated");
    expect(escalated).toMatchObject({ sent: 1, recipient: { address: "hana@acme.test", person: "Hana Commander" } });
    const asViewer = await api.request<IncidentDeliveries>("GET", `/api/incidents/${opened.body.id}/deliveries`, {
      as: "viewer",
    });
    expect(asViewer.body.events.find((e) => e.kind === "incident.escalated")?.recipient).toEqual({
      address: "h•••@acme.test",
      person: "Hana Commander",
    });
  });
});
