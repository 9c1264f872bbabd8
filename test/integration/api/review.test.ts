import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCsv } from "../../../core/subscribers/admin/csv.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

/**
 * The reliability review through the API, on a history seeded through the API: a late update moves
 * "promises kept" and the worst list, a backdated correction moves them back, and the CSV says what the JSON says.
 */

type Review = {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  overall: Figures;
  previous_overall: Figures;
  by_component: { component_id: string; name: string; figures: Figures }[];
  by_commander: { commander_id: string | null; name: string; figures: Figures }[];
  worst: { by_first_post: Ref[]; by_missed_promises: Ref[] };
  incidents: { incident_id: string; first_post_minutes: number | null; minutes_late: number }[];
};
type Ref = { incident_id: string; minutes: number; missed?: number };
type Figures = {
  incidents: { count: number; incident_ids: string[]; by_impact: Record<string, { count: number }> };
  first_post: { count: number; median: number | null; p90: number | null; worst: { minutes: number } | null };
  promises: {
    due: number;
    kept: number;
    kept_percent: number | null;
    late: { incident_id: string; minutes_late: number; answered_at: string | null }[];
  };
  resolve: { median: number | null };
  uptime: { percent: number | null; minutes: Record<string, number> } | null;
};
type Incident = { id: string; incident_updates: { id: string; status: string; display_at: string }[] };

const MINUTE = 60_000;
let api: TestApi;

beforeEach(async () => {
  // A Thursday morning; the page's time zone is UTC.
  api = await createTestApi();
});
afterEach(() => api.cleanup());

async function ok<T>(method: string, path: string, json?: unknown): Promise<T> {
  const response = await api.request<T>(
    method,
    path,
    json === undefined ? { as: "commander" } : { as: "commander", json },
  );
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

async function review(query = "from=2026-11-20&to=2026-11-26"): Promise<Review> {
  const response = await api.request<Review>("GET", `/api/review?${query}`, { as: "viewer" });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Opens an incident on `componentId` promising the next update in 30 minutes. */
async function seed(): Promise<{ componentId: string; outage: Incident; past: Incident }> {
  const component = await ok<{ id: string }>("POST", "/api/components", { name: "API", start_date: "2026-11-01" });
  const past = await ok<Incident>("POST", "/api/incidents/backfill", {
    name: "Slow logins",
    started_at: "2026-11-25T08:00:00.000Z",
    resolved_at: "2026-11-25T09:30:00.000Z",
    components: { [component.id]: "partial_outage" },
    updates: [
      { status: "investigating", body: "Logins are slow.", display_at: "2026-11-25T08:45:00.000Z" },
      { status: "resolved", body: "Fixed.", display_at: "2026-11-25T09:30:00.000Z" },
    ],
  });
  const outage = await ok<Incident>("POST", "/api/incidents", {
    name: "API down",
    status: "investigating",
    body: "The API answers errors.",
    components: { [component.id]: "major_outage" },
    next_update_in_minutes: 30,
  });
  return { componentId: component.id, outage, past };
}

describe("the reliability review", () => {
  it("a late update moves promises kept and the worst list; a backdated correction moves them back", async () => {
    const { componentId, outage, past } = await seed();
    api.clock.advance(20 * MINUTE);
    await ok("PATCH", `/api/incidents/${outage.id}`, {
      status: "identified",
      body: "Found it.",
      next_update_in_minutes: 15,
    });

    // 10:35, the promise of 10:35 is due: kept so far is one of one.
    api.clock.advance(15 * MINUTE);
    let r = await review();
    expect(r.overall.promises).toMatchObject({ due: 1, kept: 1, kept_percent: 100, late: [] });
    expect(r.worst.by_missed_promises).toEqual([]);

    // 10:47: twelve minutes late, still nothing posted: the promise counts late until now.
    api.clock.advance(12 * MINUTE);
    r = await review();
    expect(r.overall.promises).toMatchObject({ due: 2, kept: 1, kept_percent: 50 });
    expect(r.overall.promises.late).toEqual([
      expect.objectContaining({ incident_id: outage.id, minutes_late: 12, answered_at: null }),
    ]);

    // 10:55: the update comes twenty minutes late.
    api.clock.advance(8 * MINUTE);
    const late = await ok<Incident>("PATCH", `/api/incidents/${outage.id}`, {
      status: "monitoring",
      body: "Recovering.",
    });
    r = await review();
    expect(r.overall.promises.late).toEqual([expect.objectContaining({ incident_id: outage.id, minutes_late: 20 })]);
    expect(r.worst.by_missed_promises).toEqual([
      expect.objectContaining({ incident_id: outage.id, minutes: 20, missed: 1 }),
    ]);

    // The update was in fact posted at 10:33 (backdated): the promise was kept after all.
    const monitoring = late.incident_updates.find((u) => u.status === "monitoring");
    await ok("PATCH", `/api/incidents/${outage.id}/updates/${monitoring?.id}`, {
      display_at: "2026-11-26T10:33:00.000Z",
    });
    r = await review();
    expect(r.overall.promises).toMatchObject({ due: 2, kept: 2, late: [] });
    expect(r.worst.by_missed_promises).toEqual([]);

    // Time to first post: the backfilled incident was first told 45 minutes after it began, the outage at once.
    expect(r.overall.first_post).toMatchObject({ count: 2, worst: { minutes: 45 }, p90: 45, median: 0 });
    expect(r.worst.by_first_post).toEqual([expect.objectContaining({ incident_id: past.id, minutes: 45 })]);
    expect(r.overall.incidents.count).toBe(2);
    expect(r.overall.resolve.median).toBe(90);

    // Uptime of the API component since the period began (Nov 20, 00:00) until now (Nov 26, 10:55): 90 min
    // of partial outage (30 % down) and 55 of major outage.
    const api_ = r.by_component.find((c) => c.component_id === componentId);
    expect(api_?.figures.uptime?.minutes).toMatchObject({ partial_outage: 90, major_outage: 55 });
    const measured = 6 * 24 * 60 + 10 * 60 + 55;
    expect(api_?.figures.uptime?.percent).toBe(Math.round(100_000 * (1 - (55 + 0.3 * 90) / measured)) / 1000);
    expect(r.by_commander.map((c) => c.name).sort()).toEqual(["Nobody"]);
  });

  it("the previous period has the same length and ends where the period begins", async () => {
    const r = await review("from=2026-11-01&to=2026-11-30");
    expect(r.period).toEqual({ from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" });
    expect(r.previous).toEqual({ from: "2026-10-02T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" });
    const byDefault = await review("");
    expect(byDefault.period).toEqual({ from: "2026-11-20T00:00:00.000Z", to: "2026-11-27T00:00:00.000Z" });
  });

  it("the CSV carries the JSON's numbers: the summary and one row per incident", async () => {
    const { outage } = await seed();
    api.clock.advance(50 * MINUTE);
    await ok("PATCH", `/api/incidents/${outage.id}`, { status: "resolved", body: "Fixed." });
    const json = await review();
    const response = await api.request<string>("GET", "/api/review.csv?from=2026-11-20&to=2026-11-26", {
      as: "viewer",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const parsed = parseCsv(String(response.body));
    if (!parsed.ok) throw new Error(parsed.why);
    const cell = (figure: string) => parsed.rows.find((row) => row[0] === figure);
    expect(cell("Incidents")?.slice(2)).toEqual([
      String(json.overall.incidents.count),
      String(json.previous_overall.incidents.count),
    ]);
    expect(cell("Promises kept")?.[2]).toBe(String(json.overall.promises.kept_percent));
    expect(cell("Time to first post, worst")?.[2]).toBe(String(json.overall.first_post.worst?.minutes));
    expect(cell("Uptime")?.[2]).toBe(String(json.overall.uptime?.percent));
    const header = parsed.rows.findIndex((row) => row[0] === "incident_id");
    const rows = parsed.rows.slice(header + 1).filter((row) => row.length > 1);
    expect(rows.map((row) => row[0]).sort()).toEqual(json.incidents.map((i) => i.incident_id).sort());
    for (const incident of json.incidents) {
      const row = rows.find((r) => r[0] === incident.incident_id);
      expect(row?.[8]).toBe(incident.first_post_minutes === null ? "" : String(incident.first_post_minutes));
      expect(row?.[12]).toBe(String(incident.minutes_late));
    }
  });

  it("refuses a bad period or an unknown component with a problem, and a viewer may read it", async () => {
    for (const [query, status] of [
      ["from=2026-13-01", 422],
      ["from=2026-11-26&to=2026-11-20", 422],
      ["from=2020-01-01&to=2026-11-26", 422],
      ["component=nope", 404],
    ] as const) {
      const response = await api.request("GET", `/api/review?${query}`, { as: "viewer" });
      expect(response.status, query).toBe(status);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await api.request("GET", "/api/review", { as: null })).status).toBe(401);
  });
});
