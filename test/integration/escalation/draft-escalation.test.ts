import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DraftView } from "../../../core/alerts/drafts/schemas.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, escalations, people } from "../../../db/schema.ts";
import { createIncidentTemplate, createRule } from "../alerts/automation-helpers.ts";
import { type DraftsHarness, startDraftsHarness, TEAM_ADDRESS } from "../alerts/drafts-harness.ts";
import { createSource, deliver, fixtureText } from "../alerts/intake-helpers.ts";

/**
 * A waiting alert draft under an escalation policy (docs/alerts.md, Drafts; docs/team.md, Escalation): told to
 * the team once, then, nobody acting within the rule's `remind_minutes`, escalated like a lapsed promise with no
 * commander: level 1 at once, each next level after its delay, each mail naming who was told; publishing or
 * discarding stops it. Alertmanager's documented payload through the real intake, a real SMTP server and webhook.
 */

let h: DraftsHarness;
const MINUTE = 60_000;
const BOB = { id: "bob000000002", name: "Bob Manager", email: "bob@acme.test" };

beforeEach(async () => {
  h = await startDraftsHarness();
  const at = h.api.clock.now().toISOString();
  await h.api.db.insert(people).values({ ...BOB, role: "commander", createdAt: at, updatedAt: at });
});

afterEach(async () => {
  await h.close();
});

async function policy(levels: unknown[]): Promise<void> {
  const answer = await h.api.request("PUT", "/api/escalation-policy", { as: "admin", json: { levels } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** The team's chat and address first, then Bob: the policy most teams start with. */
const TEAM_THEN_BOB = [
  { delay_minutes: 10, person_ids: [], team_channels: ["team_email", "team_webhooks"], daytime_only: false },
  { delay_minutes: 10, person_ids: [BOB.id], team_channels: [], daytime_only: false },
];

/** Alertmanager's example alert drafts an incident (remind_minutes 10); the first tick tells the team it waits. */
async function waitingDraft(): Promise<DraftView> {
  const prometheus = await createSource(h.api, { name: "Prometheus", kind: "alertmanager" });
  const template = await createIncidentTemplate(h.api);
  await createRule(h.api, {
    name: "Probe failures",
    matchers: ['alertname="ProbeFailure"'],
    component_ids: [h.apiComponent],
    template_id: template,
    remind_minutes: 10,
  });
  const body = fixtureText("alertmanager-v4.json");
  expect((await deliver(h.api, "prometheus", { token: prometheus.token, body })).status).toBe(202);
  await tick(h.scheduler);
  const waiting = await h.api.request<DraftView[]>("GET", "/api/alert-drafts?state=waiting", { as: "viewer" });
  const [draft] = waiting.body;
  if (!draft) throw new Error("no draft was made");
  return draft;
}

async function subjects(): Promise<[string, string][]> {
  await h.deliverAll();
  return (await h.mails()).map((m) => [m.to, m.subject]);
}

describe("a waiting draft under an escalation policy", () => {
  it("tells the team once, then level 1 after remind_minutes, then each level after its delay, once each", async () => {
    await policy(TEAM_THEN_BOB);
    const draft = await waitingDraft();
    expect(await subjects()).toEqual([[TEAM_ADDRESS, `[Draft waiting] ${draft.name}`]]);

    h.api.clock.advance(9 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([]);
    h.api.clock.advance(1 * MINUTE);
    const level1 = await Promise.all([tick(h.scheduler), tick(h.scheduler)]);
    expect(level1.flatMap((r) => r.escalated)).toEqual([`${draft.id}:1`]);
    expect((await subjects()).slice(1)).toEqual([[TEAM_ADDRESS, `[Draft still waiting] ${draft.name}`]]);
    expect(h.posts("/team").map((p) => p.event)).toEqual(["alert.draft_waiting", "alert.draft_reminder"]);
    expect(h.posts("/team")[1]?.body).toMatchObject({ herald: { notice: 1 } });

    h.api.clock.advance(9 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([]);
    h.api.clock.advance(1 * MINUTE);
    const level2 = await Promise.all([tick(h.scheduler), tick(h.scheduler), tick(h.scheduler)]);
    expect(level2.flatMap((r) => r.escalated)).toEqual([`${draft.id}:2`]);
    expect((await subjects()).slice(2)).toEqual([[BOB.email, `[Escalated: draft waiting] ${draft.name}`]]);
    const toBob = (await h.mails())[2];
    expect(toBob?.text).toContain("You are told as level 2 of the escalation policy");
    expect(toBob?.text).toContain(`Already told: ${TEAM_ADDRESS} (level 1), the team's chat (level 1)`);
    expect(toBob?.text).toContain(`/admin/alerts/drafts/${draft.id}`);

    // The last level was told: nothing more, however long it waits; no reminder either, and never a subscriber.
    h.api.clock.advance(60 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([]);
    expect(await subjects()).toHaveLength(3);
    expect(h.posts("/subscriber")).toEqual([]);
    const audit = await h.api.db.select().from(auditLog).where(eq(auditLog.targetId, draft.id));
    expect(audit.map((a) => a.action).filter((a) => a.includes("escalat") || a.includes("notice"))).toEqual([
      "alert_draft.waiting_notice",
      "alert_draft.escalated",
      "alert_draft.escalated",
    ]);
  });

  it("stops when someone publishes the draft, naming who", async () => {
    await policy(TEAM_THEN_BOB);
    const draft = await waitingDraft();
    h.api.clock.advance(10 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([`${draft.id}:1`]);
    const published = await h.api.request("POST", `/api/alert-drafts/${draft.id}/publish`, { json: {} });
    expect(published.status).toBe(201);

    // (The incident's own promise of a next update, 30 minutes, lapses too: that escalation is the incident's.)
    h.api.clock.advance(30 * MINUTE);
    expect((await tick(h.scheduler)).escalated.filter((e) => e.startsWith(draft.id))).toEqual([]);
    const [row] = await h.api.db.select().from(escalations).where(eq(escalations.subjectType, "draft"));
    expect(row).toMatchObject({ subjectType: "draft", subjectId: draft.id, level: 1 });
    expect(row?.stoppedBy).toMatch(/^commander \(/);
    expect((await subjects()).filter(([to]) => to === BOB.email)).toEqual([]);
  });

  it("stops when someone discards the draft", async () => {
    await policy(TEAM_THEN_BOB);
    const draft = await waitingDraft();
    h.api.clock.advance(10 * MINUTE);
    await tick(h.scheduler);
    expect((await h.api.request("POST", `/api/alert-drafts/${draft.id}/discard`, { json: {} })).status).toBe(200);
    h.api.clock.advance(30 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([]);
    const [row] = await h.api.db.select().from(escalations);
    expect(row?.stoppedAt).not.toBeNull();
    expect((await subjects()).filter(([to]) => to === BOB.email)).toEqual([]);
  });

  it("passes over a daytime-only level at night and tells the next", async () => {
    await policy([
      { delay_minutes: 10, person_ids: [], team_channels: ["team_webhooks"], daytime_only: true },
      { delay_minutes: 10, person_ids: [BOB.id], team_channels: [], daytime_only: false },
    ]);
    await h.api.request("PATCH", "/api/page", { as: "admin", json: { time_zone: "UTC" } });
    const night = new Date(h.api.clock.now());
    night.setUTCHours(23, 0, 0, 0);
    if (night <= h.api.clock.now()) night.setUTCDate(night.getUTCDate() + 1);
    h.api.clock.advance(night.getTime() - h.api.clock.now().getTime());
    const draft = await waitingDraft();
    h.api.clock.advance(10 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([`${draft.id}:2`]);
    expect((await subjects()).slice(1)).toEqual([[BOB.email, `[Escalated: draft waiting] ${draft.name}`]]);
    const passed = await h.api.db.select().from(auditLog).where(eq(auditLog.action, "alert_draft.escalation_passed"));
    expect(passed).toHaveLength(0);
  });
});

describe("a waiting draft without an escalation policy", () => {
  it("is reminded to the team as before and escalates nowhere", async () => {
    const draft = await waitingDraft();
    h.api.clock.advance(10 * MINUTE);
    expect((await tick(h.scheduler)).escalated).toEqual([]);
    expect((await subjects()).map(([, subject]) => subject)).toEqual([
      `[Draft waiting] ${draft.name}`,
      `[Draft still waiting] ${draft.name}`,
    ]);
    expect(await h.api.db.select().from(escalations)).toEqual([]);
  });
});

describe.runIf(process.env.HERALD_TEST_RUNTIME === "workerd")("the Worker's cron", () => {
  it("escalates a waiting draft as the Node tick does", async () => {
    const { runCron } = await import("../../helpers/workerd-api.ts");
    await policy(TEAM_THEN_BOB);
    const draft = await waitingDraft();
    h.api.clock.advance(20 * MINUTE);
    await runCron(h.api.clock.now().toISOString());
    await runCron(h.api.clock.now().toISOString());
    const [row] = await h.api.db.select().from(escalations);
    expect(row).toMatchObject({ subjectType: "draft", subjectId: draft.id, level: 1, stoppedAt: null });
    expect((await subjects()).map(([to]) => to)).toEqual([TEAM_ADDRESS, TEAM_ADDRESS]);
  });
});
