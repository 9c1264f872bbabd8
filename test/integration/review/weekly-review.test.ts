import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { computeReview } from "../../../core/review/compute-review.ts";
import { summaryWithTrend } from "../../../core/review/summary.ts";
import { weekBefore } from "../../../core/review/weekly/schedule.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, components, notificationEvents, people } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { type AcceptedMail, type TestDelivery, testDelivery } from "../../helpers/test-delivery.ts";

/**
 * The weekly review mail (docs/review.md, "The weekly mail"), through the API, the scheduler's tick, fan-out,
 * the sender and a real SMTP server: sent at the page's day and hour in its time zone, once per week, to the
 * team address and every admin still on the team, with the figures `computeReview` gives for the week.
 */

let api: TestApi;
let scheduler: ActionContext;
let sink: SmtpSink;
let delivery: TestDelivery | null = null;

const TEAM = "oncall@acme.test";
const ADA = { id: "ada000000001", name: "Ada Admin", email: "ada@acme.test", role: "admin" as const };
const GONE = { id: "gon000000002", name: "Former Admin", email: "gone@acme.test", role: "admin" as const };
const CAM = { id: "cam000000003", name: "Cam Commander", email: "cam@acme.test", role: "commander" as const };

// Monday 9 March 2026, 09:00 in Berlin (CET, UTC+1) is 08:00 UTC; the week reviewed is Mon 2 – Sun 8 March.
const MONDAY_NINE = "2026-03-09T08:00:00.000Z";

beforeEach(async () => {
  api = await createTestApi(manualClock("2026-02-20T09:00:00.000Z"));
  scheduler = { ...contextFor(api.db, api.clock), settings: { teamEmail: TEAM } };
  sink = await startSmtpSink(api.dir, { raw: true });
  const at = api.clock.now().toISOString();
  await api.db
    .insert(people)
    .values([ADA, GONE, CAM].map((p) => ({ ...p, createdAt: at, updatedAt: at, removedAt: p === GONE ? at : null })));
  await ok("PATCH", "/api/page", { time_zone: "Europe/Berlin" }, "admin");
});

afterEach(async () => {
  await delivery?.stop();
  delivery = null;
  await sink.stop();
  await api.cleanup();
});

async function ok<T>(method: string, path: string, json: unknown, as: "admin" | "commander" = "commander"): Promise<T> {
  const response = await api.request<T>(method, path, { as, json });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

const at = (iso: string) => api.clock.set(iso);

/** Two weeks of history: the week reviewed and the week before it. */
async function seedTwoWeeks(): Promise<{ late: string; slow: string; noPostmortem: string }> {
  const api_ = await ok<{ id: string }>("POST", "/api/components", { name: "API" }, "admin");
  // The week before: one quick incident.
  at("2026-02-25T10:00:00.000Z");
  const before = await ok<{ id: string }>("POST", "/api/incidents", {
    name: "Brief DNS errors",
    body: "Investigating.",
    components: { [api_.id]: "partial_outage" },
  });
  at("2026-02-25T10:10:00.000Z");
  await ok("POST", `/api/incidents/${before.id}/updates`, { status: "resolved", body: "Fixed." });
  // The week reviewed: an incident whose promised update came 15 minutes late…
  at("2026-03-03T10:00:00.000Z");
  const late = await ok<{ id: string }>("POST", "/api/incidents", {
    name: "Elevated API latency",
    body: "Looking into it.",
    components: { [api_.id]: "major_outage" },
    next_update_in_minutes: 15,
  });
  at("2026-03-03T10:30:00.000Z");
  await ok("POST", `/api/incidents/${late.id}/updates`, { status: "identified", body: "Found it." });
  at("2026-03-03T11:00:00.000Z");
  await ok("POST", `/api/incidents/${late.id}/updates`, { status: "resolved", body: "Fixed." });
  // …and one told 25 minutes after it began (written afterwards from the record).
  at("2026-03-05T12:00:00.000Z");
  const slow = await ok<{ id: string }>(
    "POST",
    "/api/incidents/backfill",
    {
      name: "Dropped webhooks",
      started_at: "2026-03-04T09:00:00.000Z",
      resolved_at: "2026-03-04T10:00:00.000Z",
      updates: [{ status: "investigating", body: "Webhooks were dropped.", display_at: "2026-03-04T09:25:00.000Z" }],
    },
    "admin",
  );
  return { late: late.id, slow: slow.id, noPostmortem: late.id };
}

/** Fans out every event not yet fanned out and sends until nothing is pending; the mails accepted so far. */
async function deliver(): Promise<AcceptedMail[]> {
  delivery ??= testDelivery(api, sink);
  await delivery.deliver();
  return delivery.mails();
}

const reviewEvents = () => api.db.select().from(notificationEvents).where(eq(notificationEvents.kind, "review.weekly"));

describe("the weekly review mail", () => {
  it("is off on a new page: a Monday morning's tick queues nothing", async () => {
    at(MONDAY_NINE);
    await tick(scheduler);
    expect(await reviewEvents()).toEqual([]);
  });

  it("goes at the page's day and hour, once, to the team address and each admin, with the week's figures", async () => {
    const ids = await seedTwoWeeks();
    await ok("PATCH", "/api/page", { review_weekday: 1, review_hour: 9 }, "admin");

    // 08:59 in Berlin: not yet. Sunday at 09:00: the wrong day.
    at("2026-03-08T08:00:00.000Z");
    await tick(scheduler);
    at("2026-03-09T07:59:00.000Z");
    await tick(scheduler);
    expect(await reviewEvents()).toEqual([]);

    // 09:00 in Berlin: two runners tick at once, and again later that day: one week's review.
    at(MONDAY_NINE);
    await Promise.all([tick(scheduler), tick({ ...scheduler })]);
    at("2026-03-09T15:00:00.000Z");
    await tick(scheduler);
    const events = await reviewEvents();
    expect(events.map((e) => e.id).sort()).toEqual(["rw-2026-w11", "rwa-2026-w11-ada000000001", "rwt-2026-w11"]);
    const audit = await api.db.select().from(auditLog).where(eq(auditLog.action, "review.weekly"));
    expect(audit).toHaveLength(1);

    const mails = await deliver();
    expect(mails.map((m) => m.to).sort()).toEqual([ADA.email, TEAM]);
    const [mail] = mails;
    if (!mail) throw new Error("no mail");
    expect(mail.subject).toBe("[Weekly review] Acme Status");
    expect(mail.text).toContain("WEEKLY REVIEW: Week 11, 2026 (Mar 2, 2026 – Mar 8, 2026)");

    // The figures are computeReview's for Monday 2 to Sunday 8 March in Berlin, as of when it was queued.
    const review = await computeReview(api.db, weekBefore("2026-03-09", "Europe/Berlin"), {
      now: () => new Date(MONDAY_NINE),
    });
    expect(review.period).toEqual({ from: "2026-03-01T23:00:00.000Z", to: "2026-03-08T23:00:00.000Z" });
    const lines = new Map(summaryWithTrend(review.overall, review.previousOverall).map((l) => [l.key, l]));
    expect(lines.get("incidents")).toMatchObject({ value: 2, previous: 1 });
    expect(mail.text).toContain("- Incidents: 2 (week before: 1; up 1 (worse))");
    expect(lines.get("promises.kept_percent")?.value).toBe(0);
    expect(mail.text).toContain("- Promises kept: 0% (week before: –; –)");
    expect(lines.get("first_post.p90")?.value).toBe(25);
    expect(mail.text).toContain("- Time to first post, p90: 25 min (week before: under a minute;");

    // The worst incidents and what is due, each linked to its console screen.
    expect(mail.text).toMatch(
      /Slowest to the first public post:\n- Dropped webhooks: 25 min to the first post\n {2}https:\/\/status\.acme\.test\/admin\/incidents\//,
    );
    expect(mail.text).toContain(`https://status.acme.test/admin/incidents/${ids.slow}`);
    expect(mail.text).toMatch(/Most promised updates missed:\n- Elevated API latency: 1 promise late, 15 min in all/);
    expect(mail.text).toContain("- Postmortem not written: Elevated API latency (resolved Mar 3, 2026)");
    expect(mail.text).toContain("https://status.acme.test/admin/review?from=2026-03-02&to=2026-03-08");
    expect(mail.html).toContain(`href="https://status.acme.test/admin/incidents/${ids.late}"`);
    expect(mail.html).toContain("<th");
    // A team mail: no subscriber's unsubscribe link.
    expect(mail.text).not.toMatch(/unsubscribe/i);
  });

  it("names a deprecated component whose sunset is within 14 days, and a removed admin gets nothing", async () => {
    await ok("PATCH", "/api/page", { review_weekday: 1, review_hour: 9 }, "admin");
    const web = await ok<{ id: string }>("POST", "/api/components", { name: "Legacy web" }, "admin");
    // The deprecation action is the sunset slice's; its columns are set as it sets them.
    await api.db
      .update(components)
      .set({ stage: "deprecated", sunsetAt: "2026-03-20T00:00:00.000Z", deprecatedAt: "2026-02-20T09:00:00.000Z" })
      .where(eq(components.id, web.id));
    at(MONDAY_NINE);
    await tick(scheduler);
    const mails = await deliver();
    expect(mails.map((m) => m.to).sort()).toEqual([ADA.email, TEAM]);
    expect(mails[0]?.text).toContain("- Sunset soon: Legacy web (leaves the page on Mar 20, 2026)");
    expect(mails.some((m) => m.to === GONE.email)).toBe(false);
  });

  it("an admin removed after the review was queued is not mailed it", async () => {
    await ok("PATCH", "/api/page", { review_weekday: 1, review_hour: 9 }, "admin");
    at(MONDAY_NINE);
    await tick(scheduler);
    await api.db.update(people).set({ removedAt: MONDAY_NINE }).where(eq(people.id, ADA.id));
    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([TEAM]);
  });
});
