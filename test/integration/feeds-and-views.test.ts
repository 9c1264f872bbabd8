import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import { createSiteData, type SiteData } from "../../core/public/site-views.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";

let api: TestApi;
let web: V2Component;
let db: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  web = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Website" } })).body;
  db = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());

/** What the next render pass would read (a SiteData serves one pass). */
const siteNow = (): SiteData => createSiteData(api.db);

const open = (json: Record<string, unknown>) => api.request<AdminIncident>("POST", "/api/incidents", { json });
const update = (id: string, json: Record<string, unknown>) =>
  api.request<AdminIncident>("POST", `/api/incidents/${id}/updates`, { json });

describe("promised updates and postmortems", () => {
  it("a promised next update shows until the next update, and resolving clears it", async () => {
    const incident = await open({ name: "Slow pages", next_update_in_minutes: 30 });
    expect(incident.body.next_update_at).toBe("2026-11-26T10:30:00.000Z");
    expect((await siteNow().index()).openIncidents[0]?.nextUpdateDueAt).toBe("2026-11-26T10:30:00.000Z");
    api.clock.advance(10 * 60_000);
    expect((await update(incident.body.id, { status: "identified" })).body.next_update_at).toBeNull();
    expect(
      (await update(incident.body.id, { status: "monitoring", next_update_in_minutes: 60 })).body.next_update_at,
    ).toBe("2026-11-26T11:10:00.000Z");
    expect(
      (await update(incident.body.id, { status: "resolved", next_update_in_minutes: 60 })).body.next_update_at,
    ).toBeNull();
  });

  it("a published postmortem moves a resolved incident to postmortem and shows on its page; a draft does not", async () => {
    const incident = await open({ name: "Outage" });
    await update(incident.body.id, { status: "resolved" });
    const draft = await api.request<AdminIncident>("PUT", `/api/incidents/${incident.body.id}/postmortem`, {
      json: { body: "Draft **text**", publish: false },
    });
    expect(draft.status).toBe(200);
    expect(draft.body.status).toBe("resolved");
    expect((await siteNow().incident(incident.body.id))?.incident.postmortemHtml).toBeNull();
    const published = await api.request<AdminIncident>("PUT", `/api/incidents/${incident.body.id}/postmortem`, {
      json: { body: "What happened: a **full disk**." },
    });
    expect(published.body.status).toBe("postmortem");
    expect(published.body.postmortem_published_at).toBe("2026-11-26T10:00:00.000Z");
    expect((await siteNow().incident(incident.body.id))?.incident.postmortemHtml).toContain(
      "<strong>full disk</strong>",
    );
  });
});

describe("feeds", () => {
  it("RSS has one item per incident with its latest update, a stable guid and no build date", async () => {
    const incident = await open({ name: "Website down", components: { [web.id]: "major_outage" } });
    api.clock.advance(60_000);
    await update(incident.body.id, { status: "identified", body: "Found it & fixing <now>." });
    const rss = (await siteNow().feed("rss")) ?? "";
    expect(rss).toContain("<rss");
    expect(rss.match(/<item>/g)).toHaveLength(1);
    expect(rss).toContain(`<guid isPermaLink="true">https://status.acme.test/incidents/${incident.body.id}/</guid>`);
    expect(rss).toContain("Website down: Identified");
    expect(rss).not.toContain("lastBuildDate");
    expect(await siteNow().feed("rss")).toBe(rss);
  });

  it("Atom entries carry the incident's latest update and escape its text", async () => {
    const incident = await open({ name: "Q&A <tool> broken" });
    const atom = (await siteNow().feed("atom")) ?? "";
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(atom).toContain(`<id>https://status.acme.test/incidents/${incident.body.id}/</id>`);
    expect(atom).toContain("Q&amp;A &lt;tool&gt; broken: Investigating");
  });

  it("a component's feed lists only the incidents that touched it", async () => {
    await open({ name: "Website slow", components: { [web.id]: "degraded_performance" } });
    await open({ name: "Database slow", components: { [db.id]: "degraded_performance" } });
    const feed = (await siteNow().feed("rss", db.id)) ?? "";
    expect(feed).toContain("Database slow");
    expect(feed).not.toContain("Website slow");
    expect(await siteNow().feed("rss", "zzzzzzzzzzzz")).toBeNull();
  });

  it("the maintenance calendar has a stable UID per window and raises SEQUENCE on reschedule", async () => {
    const m = await open({
      kind: "maintenance",
      name: "Database upgrade, with care; really",
      scheduled_for: "2026-12-01T01:00:00Z",
      scheduled_until: "2026-12-01T02:00:00Z",
    });
    const before = await siteNow().maintenanceCalendar();
    expect(before).toContain(`UID:${m.body.id}@status.acme.test`);
    expect(before).toContain("DTSTART:20261201T010000Z\r\nDTEND:20261201T020000Z");
    expect(before).toContain("SUMMARY:Database upgrade\\, with care\\; really");
    expect(before).toContain("SEQUENCE:0");
    expect(before.split("\r\n").every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    await api.request("PATCH", `/api/incidents/${m.body.id}`, {
      json: { scheduled_for: "2026-12-01T03:00:00Z", scheduled_until: "2026-12-01T04:00:00Z" },
    });
    const after = await siteNow().maintenanceCalendar();
    expect(after).toContain(`UID:${m.body.id}@status.acme.test`);
    expect(after).toContain("SEQUENCE:1");
    expect(after).toContain("DTSTART:20261201T030000Z");
  });
});

describe("uptime on the index and component pages", () => {
  it("shows 90 days per showcased component with a text alternative for each day", async () => {
    const incident = await open({ name: "Down", components: { [db.id]: "major_outage" } });
    api.clock.advance(6 * 3_600_000);
    await update(incident.body.id, { status: "resolved" });
    const index = await siteNow().index();
    const uptime = index.components.find((c) => c.id === db.id)?.uptime;
    expect(uptime?.days).toHaveLength(90);
    expect(uptime?.days.at(-1)).toEqual({
      date: "2026-11-26",
      level: "critical",
      label: "Nov 26, 2026: 0% uptime, 6 h major outage",
    });
    expect(uptime?.days.at(-2)?.label).toBe("Nov 25, 2026: no data");
    expect(uptime?.percentLabel).toBe("0%");
    const page = await siteNow().component(db.id);
    expect(page?.incidents.map((i) => i.name)).toEqual(["Down"]);
    expect(await siteNow().component("zzzzzzzzzzzz")).toBeNull();
  });
});

describe("lists of incidents", () => {
  it("show each incident's latest update in recent history, history months and component pages", async () => {
    const incident = await open({ name: "Website down", components: { [web.id]: "major_outage" } });
    api.clock.advance(60_000);
    await update(incident.body.id, { status: "resolved", body: "Fixed:\n\n- cache purged\n- nodes replaced" });
    const latest = (view: { updates: { excerpt: string }[] } | undefined) => view?.updates.map((u) => u.excerpt);
    const expected = ["Fixed: cache purged; nodes replaced."];
    expect(latest((await siteNow().index()).recent[0])).toEqual(expected);
    expect(latest((await siteNow().historyMonth("2026-11"))?.incidents[0])).toEqual(expected);
    expect(latest((await siteNow().component(web.id))?.incidents[0])).toEqual(expected);
    expect((await siteNow().component(web.id))?.incidents[0]?.components).toEqual([{ id: web.id, name: "Website" }]);
  });
});

describe("one truth on the public page", () => {
  it("recent history lists what is active now before what is resolved, and not what is only planned", async () => {
    const old = await open({ name: "Old outage", components: { [web.id]: "major_outage" } });
    await update(old.body.id, { status: "resolved" });
    api.clock.advance(60_000);
    await open({ name: "API errors", components: { [db.id]: "partial_outage" } });
    await open({
      kind: "maintenance",
      name: "Disk swap",
      scheduled_for: "2026-11-26T09:00:00Z",
      scheduled_until: "2026-11-26T12:00:00Z",
      status: "in_progress",
    });
    await open({
      kind: "maintenance",
      name: "Next week's upgrade",
      scheduled_for: "2026-12-03T09:00:00Z",
      scheduled_until: "2026-12-03T10:00:00Z",
    });
    const recent = (await siteNow().index()).recent.map((i) => i.name);
    expect(recent).toEqual(["API errors", "Disk swap", "Old outage"]);
  });

  it("a component page lists every incident that touched it, open ones first", async () => {
    const openOne = await open({ name: "Slow queries", components: { [db.id]: "operational" } });
    api.clock.advance(60_000);
    const closed = await open({ name: "Failover", components: { [db.id]: "major_outage" } });
    api.clock.advance(60_000);
    await update(closed.body.id, { status: "resolved" });
    const page = await siteNow().component(db.id);
    expect(page?.incidents.map((i) => i.name)).toEqual(["Slow queries", "Failover"]);
    expect(openOne.body.status).toBe("investigating");
  });

  it("a day with an open incident on the component never reads 'no incidents'", async () => {
    await open({ name: "Slow queries", components: { [db.id]: "operational" } });
    api.clock.advance(60_000);
    const page = await siteNow().component(db.id);
    const today = page?.component.uptime?.days.at(-1);
    expect(today?.label).not.toMatch(/no incidents/);
    expect(today?.label).toContain("Slow queries");
    expect(page?.component.uptime?.days.filter((d) => d.label.includes("Slow queries"))).toHaveLength(1);
  });

  it("uptime counts from the component's creation and says since when, days before it show no data", async () => {
    api.clock.advance(60 * 60_000);
    const incident = await open({ name: "Blip", components: { [db.id]: "major_outage" } });
    api.clock.advance(13 * 60_000);
    await update(incident.body.id, { status: "resolved" });
    const uptime = (await siteNow().index()).components.find((c) => c.id === db.id)?.uptime;
    expect(uptime?.since).toBe("Nov 26, 2026");
    expect(uptime?.percentLabel).toBe("82.19%");
    expect(uptime?.days.slice(0, -1).every((d) => d.level === "none" && d.label.endsWith("no data"))).toBe(true);
    const old = (
      await api.request<V2Component>("POST", "/api/components", { json: { name: "Old", start_date: "2026-01-01" } })
    ).body;
    expect((await siteNow().index()).components.find((c) => c.id === old.id)?.uptime?.since).toBeNull();
  });
});
