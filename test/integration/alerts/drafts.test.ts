import { and, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tick } from "../../../core/scheduler/tick.ts";
import { alertDrafts, auditLog, incidents, notificationEvents } from "../../../db/schema.ts";
import { insertWaitingDraft } from "../../helpers/alert-drafts.ts";
import { type DraftsHarness, startDraftsHarness, TEAM_ADDRESS } from "./drafts-harness.ts";

let h: DraftsHarness;

beforeEach(async () => {
  h = await startDraftsHarness();
});

afterEach(async () => {
  await h.close();
});

const MINUTE = 60_000;

function draftFor(component: string, extra: { autoPublishMinutes?: number } = {}) {
  return insertWaitingDraft(h.api.db, h.api.clock.now(), {
    name: "API is partially unavailable",
    components: { [component]: "partial_outage" },
    alerts: [
      {
        summary: "High request latency on api",
        labels: { alertname: "HighLatency", service: "api" },
        severity: "critical",
      },
      { summary: "5xx rate above 5%", labels: { alertname: "ErrorRate", service: "api" }, severity: "warning" },
    ],
    remindMinutes: 10,
    ...extra,
  });
}

async function draftEvents(id: string) {
  return (
    await h.api.db
      .select({ id: notificationEvents.id, kind: notificationEvents.kind })
      .from(notificationEvents)
      .where(like(notificationEvents.id, `%-${id}-%`))
  ).sort((a, b) => a.id.localeCompare(b.id));
}

describe("a waiting draft tells the team", () => {
  it("once per reminder time, even when two ticks run at once; three reminders at most; never a subscriber", async () => {
    const draft = await draftFor(h.apiComponent);
    await Promise.all([tick(h.scheduler), tick(h.scheduler)]);
    await h.deliverAll();
    let mails = await h.mails();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [TEAM_ADDRESS, "[Draft waiting] API is partially unavailable"],
    ]);
    expect(mails[0]?.text).toContain("High request latency on api");
    expect(mails[0]?.text).toContain("alertname=HighLatency, service=api");
    expect(mails[0]?.text).toContain(`/admin/alerts/drafts/${draft.id}`);
    expect(h.posts("/team").map((p) => p.event)).toEqual(["alert.draft_waiting"]);
    const payload = h.posts("/team")[0]?.body as {
      draft: { alerts: unknown[] };
      herald: { links: { console: string } };
    };
    expect(payload.draft.alerts).toHaveLength(2);
    expect(payload.herald.links.console).toMatch(new RegExp(`/admin/alerts/drafts/${draft.id}$`));
    expect(h.posts("/subscriber")).toEqual([]);

    for (let reminder = 1; reminder <= 4; reminder++) {
      h.api.clock.advance(10 * MINUTE);
      await Promise.all([tick(h.scheduler), tick(h.scheduler)]);
    }
    await h.deliverAll();
    mails = await h.mails();
    expect(mails.map((m) => m.subject)).toEqual([
      "[Draft waiting] API is partially unavailable",
      "[Draft still waiting] API is partially unavailable",
      "[Draft still waiting] API is partially unavailable",
      "[Draft still waiting] API is partially unavailable",
    ]);
    expect(mails.every((m) => m.to === TEAM_ADDRESS)).toBe(true);
    expect(mails[1]?.text).toContain("This draft has waited 10 min");
    expect(mails[3]?.text).toContain("This draft has waited 30 min");
    expect(h.posts("/team").map((p) => p.event)).toEqual([
      "alert.draft_waiting",
      "alert.draft_reminder",
      "alert.draft_reminder",
      "alert.draft_reminder",
    ]);
    expect(h.posts("/subscriber")).toEqual([]);
    const [row] = await h.api.db.select().from(alertDrafts).where(eq(alertDrafts.id, draft.id));
    expect(row?.remindAt).toBeNull();
  });

  it("stops reminding once the draft is published", async () => {
    const draft = await draftFor(h.apiComponent);
    await tick(h.scheduler);
    const published = await h.api.request("POST", `/api/alert-drafts/${draft.id}/publish`, { json: {} });
    expect(published.status).toBe(201);
    h.api.clock.advance(30 * MINUTE);
    await tick(h.scheduler);
    expect((await draftEvents(draft.id)).map((e) => e.kind)).toEqual(["alert.draft_waiting", "alert.draft_waiting"]);
  });
});

describe("publishing a draft", () => {
  it("opens the incident as drafted; subscribers hear of it exactly once, also when two people press Publish at once", async () => {
    const draft = await draftFor(h.apiComponent);
    const [a, b] = await Promise.all([
      h.api.request<{ incident?: { id: string; name: string } }>("POST", `/api/alert-drafts/${draft.id}/publish`, {
        json: {},
      }),
      h.api.request<{ incident?: { id: string; name: string } }>("POST", `/api/alert-drafts/${draft.id}/publish`, {
        json: {},
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = (a.status === 409 ? a : b).body as unknown as { detail: string };
    expect(refused.detail).toContain("someone published or discarded it first");
    expect(await h.api.db.select().from(incidents)).toHaveLength(1);
    const incident = (a.status === 201 ? a : b).body.incident;
    expect(incident?.name).toBe("API is partially unavailable");

    const shown = await h.api.request<{ state: string; incident_id: string; decided_by: string }>(
      "GET",
      `/api/alert-drafts/${draft.id}`,
    );
    expect(shown.body).toMatchObject({ state: "published", incident_id: incident?.id, decided_by: "commander" });
    const component = await h.api.request<{ status: string }>("GET", `/api/components/${h.apiComponent}`);
    expect(component.body.status).toBe("partial_outage");

    await h.deliverAll();
    const toReader = (await h.mails()).filter((m) => m.to === "reader@example.com");
    expect(toReader.map((m) => m.subject)).toEqual(["[Investigating] API is partially unavailable"]);
    expect(h.posts("/subscriber").map((p) => p.event)).toEqual(["incident.opened"]);
  });

  it("takes the person's edits: name, text, components, and no notifications when asked", async () => {
    const draft = await draftFor(h.apiComponent);
    const published = await h.api.request<{ incident: { id: string; name: string; impact: string } }>(
      "POST",
      `/api/alert-drafts/${draft.id}/publish`,
      {
        json: {
          name: "Slow API responses",
          body: "Some requests are slow; we are on it.",
          components: { [h.apiComponent]: "degraded_performance" },
          deliver_notifications: false,
        },
      },
    );
    expect(published.status).toBe(201);
    expect(published.body.incident.name).toBe("Slow API responses");
    const component = await h.api.request<{ status: string }>("GET", `/api/components/${h.apiComponent}`);
    expect(component.body.status).toBe("degraded_performance");
    await h.deliverAll();
    expect((await h.mails()).filter((m) => m.to === "reader@example.com")).toEqual([]);
  });

  it("previews what it would post and writes nothing", async () => {
    const draft = await draftFor(h.apiComponent);
    const preview = await h.api.request<{ body_html: string; mail: { subject: string; text: string } }>(
      "POST",
      `/api/alert-drafts/${draft.id}/preview`,
      { as: "viewer", json: { name: "Slow API" } },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.body_html).toContain("<strong>API</strong>");
    expect(preview.body.mail.subject).toBe("[Investigating] Slow API");
    expect(await h.api.db.select().from(incidents)).toEqual([]);
  });

  it("publishes by itself after the rule's minutes with no one acting, audited as the automation", async () => {
    const draft = await draftFor(h.apiComponent, { autoPublishMinutes: 15 });
    await tick(h.scheduler);
    expect(await h.api.db.select().from(incidents)).toEqual([]);
    h.api.clock.advance(15 * MINUTE);
    await Promise.all([tick(h.scheduler), tick(h.scheduler)]);
    const opened = await h.api.db.select().from(incidents);
    expect(opened.map((i) => i.name)).toEqual(["API is partially unavailable"]);
    const audit = await h.api.db
      .select({ actor: auditLog.actor })
      .from(auditLog)
      .where(and(eq(auditLog.action, "alert_draft.auto_publish"), eq(auditLog.targetId, draft.id)));
    expect(audit).toEqual([{ actor: "alert automation (automation)" }]);
    const shown = await h.api.request<{ state: string; decided_by: string }>("GET", `/api/alert-drafts/${draft.id}`);
    expect(shown.body).toMatchObject({ state: "published", decided_by: "alert automation" });
  });
});

describe("discarding a draft", () => {
  it("ends it without an incident; a viewer cannot; publishing it afterwards is a 409", async () => {
    const draft = await draftFor(h.apiComponent);
    expect((await h.api.request("POST", `/api/alert-drafts/${draft.id}/discard`, { as: "viewer" })).status).toBe(403);
    const discarded = await h.api.request("POST", `/api/alert-drafts/${draft.id}/discard`);
    expect(discarded).toMatchObject({ status: 200, body: { draft_id: draft.id, state: "discarded" } });
    expect((await h.api.request("POST", `/api/alert-drafts/${draft.id}/publish`, { json: {} })).status).toBe(409);
    const waiting = await h.api.request<unknown[]>("GET", "/api/alert-drafts?state=waiting", { as: "viewer" });
    expect(waiting.body).toEqual([]);
    expect(await h.api.db.select().from(incidents)).toEqual([]);
    h.api.clock.advance(30 * MINUTE);
    await tick(h.scheduler);
    expect(await draftEvents(draft.id)).toEqual([]);
  });
});

describe("bad input", () => {
  it("is a problem+json naming what is wrong, and changes nothing", async () => {
    const draft = await draftFor(h.apiComponent);
    const unknown = await h.api.request("POST", "/api/alert-drafts/nosuchdraft0/publish", { json: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    const bad = await h.api.request<{ errors?: { path: string }[] }>("POST", `/api/alert-drafts/${draft.id}/publish`, {
      json: { name: "bell\u0007", status: "resolved", colour: "red" },
    });
    expect(bad.status).toBe(422);
    expect(await h.api.db.select().from(incidents)).toEqual([]);
    const [row] = await h.api.db.select().from(alertDrafts).where(eq(alertDrafts.id, draft.id));
    expect(row?.state).toBe("waiting");
  });
});
