import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, escalations, people } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { type AcceptedMail, type TestDelivery, testDelivery } from "../../helpers/test-delivery.ts";

/**
 * Escalation of a lapsed promise (docs/team.md, Escalation), through the API, the scheduler's tick, fan-out,
 * the sender and a real SMTP server: the commander first, then each level after its delay, each mail naming
 * who was told before; a posted update or an acknowledgement stops it.
 */

let api: TestApi;
let scheduler: ActionContext;
let sink: SmtpSink;
let delivery: TestDelivery | null = null;

const MINUTE = 60_000;
const ANN = { id: "ann000000001", name: "Ann Commander", email: "ann@acme.test" };
const BOB = { id: "bob000000002", name: "Bob Manager", email: "bob@acme.test" };

beforeEach(async () => {
  api = await createTestApi(manualClock("2026-03-02T10:00:00.000Z"));
  scheduler = { ...contextFor(api.db, api.clock), settings: { teamEmail: "oncall@acme.test" } };
  sink = await startSmtpSink(api.dir, { raw: true });
  await addPeople([ANN, BOB]);
});

afterEach(async () => {
  await delivery?.stop();
  delivery = null;
  await sink.stop();
  await api.cleanup();
});

/** Two people of the team, as an admin's invitation would leave them. */
async function addPeople(team: { id: string; name: string; email: string }[]): Promise<void> {
  const at = api.clock.now().toISOString();
  await api.db
    .insert(people)
    .values(team.map((p) => ({ ...p, role: "commander" as const, createdAt: at, updatedAt: at })));
}

async function ok<T>(method: string, path: string, json: unknown, as: "admin" | "commander" = "commander"): Promise<T> {
  const response = await api.request<T>(method, path, { as, json });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

type Incident = { id: string; next_update_at: string | null; commander_id: string | null };

/** An incident promising its next update in 15 minutes, commanded by Ann; the policy: the team address, then Bob. */
async function lapsingIncident(): Promise<Incident> {
  await ok(
    "PUT",
    "/api/escalation-policy",
    {
      levels: [
        { delay_minutes: 10, person_ids: [], team_channels: ["team_email"], daytime_only: false },
        { delay_minutes: 10, person_ids: [BOB.id], team_channels: [], daytime_only: false },
      ],
    },
    "admin",
  );
  const opened = await ok<Incident>("POST", "/api/incidents", {
    name: "Elevated API latency",
    status: "investigating",
    body: "Looking into it.",
    next_update_in_minutes: 15,
  });
  return ok<Incident>("POST", `/api/incidents/${opened.id}/commander`, { person_id: ANN.id });
}

/** Fans out every event not yet fanned out and sends until nothing is pending; the mails accepted so far. */
async function deliver(): Promise<AcceptedMail[]> {
  delivery ??= testDelivery(api, sink);
  await delivery.deliver();
  return delivery.mails();
}

describe("a lapsed promise under an escalation policy", () => {
  it("tells the commander, then each level after its delay, each naming who was told already", async () => {
    const incident = await lapsingIncident();
    expect(incident.commander_id).toBe(ANN.id);

    api.clock.advance(16 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([`${incident.id}:0`]);
    expect((await tick(scheduler)).escalated).toEqual([]);
    let mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([ANN.email]);
    expect(mails[0]?.subject).toBe("[Escalated: update overdue] Elevated API latency");
    expect(mails[0]?.text).toMatch(/You are told as the commander of the escalation policy/);

    api.clock.advance(9 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([]);
    api.clock.advance(1 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([`${incident.id}:1`]);
    mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([ANN.email, "oncall@acme.test"]);
    expect(mails[1]?.text).toContain(`Escalated to level 1. Already told: ${ANN.name} (the commander)`);

    api.clock.advance(10 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([`${incident.id}:2`]);
    mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([ANN.email, "oncall@acme.test", BOB.email]);
    expect(mails[2]?.text).toContain(`Already told: ${ANN.name} (the commander), oncall@acme.test (level 1)`);

    // The last level was told: nothing more, however long it waits.
    api.clock.advance(60 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([]);
    expect(await deliver()).toHaveLength(3);
  });

  it("stops when an update is posted", async () => {
    const incident = await lapsingIncident();
    api.clock.advance(16 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([`${incident.id}:0`]);
    await ok("POST", `/api/incidents/${incident.id}/updates`, { body: "Found it: a slow replica." });

    api.clock.advance(30 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([]);
    expect((await deliver()).map((m) => m.to)).toEqual([ANN.email]);
    const [row] = await api.db.select().from(escalations);
    expect(row).toMatchObject({ level: 0, stoppedBy: "update" });
  });

  it("tells each level once when two ticks run at once", async () => {
    const incident = await lapsingIncident();
    api.clock.advance(16 * MINUTE);
    const first = await Promise.all([tick(scheduler), tick(scheduler)]);
    expect(first.flatMap((r) => r.escalated)).toEqual([`${incident.id}:0`]);
    api.clock.advance(10 * MINUTE);
    const second = await Promise.all([tick(scheduler), tick(scheduler), tick(scheduler)]);
    expect(second.flatMap((r) => r.escalated)).toEqual([`${incident.id}:1`]);
    expect((await deliver()).map((m) => m.to)).toEqual([ANN.email, "oncall@acme.test"]);
  });

  it("reaches one person of two promises escalating to them in the same tick (found by the consistency check)", async () => {
    const first = await lapsingIncident();
    const second = await ok<Incident>("POST", "/api/incidents", {
      name: "Slow dashboard",
      status: "investigating",
      body: "Looking into it.",
      next_update_in_minutes: 15,
    });
    await ok("POST", `/api/incidents/${second.id}/commander`, { person_id: ANN.id });
    api.clock.advance(16 * MINUTE);
    expect((await tick(scheduler)).escalated.sort()).toEqual([`${first.id}:0`, `${second.id}:0`].sort());
    const mails = await deliver();
    expect(mails.map((m) => [m.to, m.subject]).sort()).toEqual([
      [ANN.email, "[Escalated: update overdue] Elevated API latency"],
      [ANN.email, "[Escalated: update overdue] Slow dashboard"],
    ]);
  });

  it("stops on an acknowledgement, which moves the public promise", async () => {
    const incident = await lapsingIncident();
    api.clock.advance(16 * MINUTE);
    await tick(scheduler);
    const acknowledged = await ok<Incident>("POST", `/api/incidents/${incident.id}/acknowledge`, { minutes: 20 });
    expect(acknowledged.next_update_at).toBe(new Date(api.clock.now().getTime() + 20 * MINUTE).toISOString());

    api.clock.advance(15 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([]);
    const [row] = await api.db.select().from(escalations);
    expect(row?.stoppedBy).toMatch(/^commander \(/);
    const audit = await api.db.select().from(auditLog).where(eq(auditLog.action, "incident.acknowledge"));
    expect(audit).toHaveLength(1);

    // The new promise lapses in turn: its own escalation starts again at the commander.
    api.clock.advance(6 * MINUTE);
    expect((await tick(scheduler)).escalated).toEqual([`${incident.id}:0`]);
  });
});

describe.runIf(process.env.HERALD_TEST_RUNTIME === "workerd")("the Worker's cron", () => {
  it("escalates a lapsed promise as the Node tick does", async () => {
    const { runCron } = await import("../../helpers/workerd-api.ts");
    const incident = await lapsingIncident();
    api.clock.advance(16 * MINUTE);
    await runCron(api.clock.now().toISOString());
    await runCron(api.clock.now().toISOString());
    const [row] = await api.db.select().from(escalations);
    expect(row).toMatchObject({ subjectId: incident.id, level: 0, stoppedAt: null });
    expect((await deliver()).map((m) => m.to)).toEqual([ANN.email]);
  });
});

describe("without an escalation policy", () => {
  it("reminds the team address as before, and the commander is only recorded", async () => {
    const opened = await ok<Incident>("POST", "/api/incidents", {
      name: "Elevated API latency",
      status: "investigating",
      body: "Looking into it.",
      next_update_in_minutes: 15,
    });
    expect(opened.commander_id).toBeNull();
    api.clock.advance(16 * MINUTE);
    const result = await tick(scheduler);
    expect(result).toMatchObject({ overdue: [opened.id], escalated: [] });
    expect((await deliver()).map((m) => m.to)).toEqual(["oncall@acme.test"]);
  });
});
