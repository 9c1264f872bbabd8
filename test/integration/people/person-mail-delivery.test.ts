import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { PersonMailLog } from "../../../core/people/person-mail-log.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { type AcceptedMail, type TestDelivery, testDelivery } from "../../helpers/test-delivery.ts";
import { acceptByLink } from "./people-helpers.ts";

/**
 * Mail to a person (an invitation, a sign-in link) is mail like any other (docs/team.md, Signing in): a
 * personal event in the outbox, fanned out to one delivery, sent by the sender to a real SMTP server, retried
 * when refused for now, and in the delivery log with its recipient, state and attempts. On the workerd
 * project the API is the Worker: it writes the same rows, and the Node sender delivers them.
 */

let api: TestApi;
let sink: SmtpSink;
let delivery: TestDelivery | null = null;

beforeEach(async () => {
  api = await createTestApi(manualClock("2026-03-02T10:00:00.000Z"));
  sink = await startSmtpSink(api.dir, { raw: true });
});

afterEach(async () => {
  await delivery?.stop();
  delivery = null;
  await sink.stop();
  await api.cleanup();
});

/** Fans out what is new, then sends until nothing is pending, letting each retry's wait pass on the clock. */
async function deliver(): Promise<AcceptedMail[]> {
  delivery ??= testDelivery(api, sink, { advanceClockMs: 1000 });
  await delivery.deliver();
  return delivery.mails();
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
