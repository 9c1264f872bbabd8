import { afterEach, describe, expect, it } from "vitest";
import {
  auditLog,
  componentStatusChanges,
  components,
  incidents,
  incidentUpdates,
  updateComponents,
} from "../../db/schema.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";
import { type Random, seededRandom } from "../helpers/prng.ts";

/**
 * The review's figures over random histories built through the API (incidents, updates with promises,
 * acknowledgements, backdated corrections, component status changes, backfilled incidents), against a
 * brute force written plainly here: every figure from the raw rows, uptime and time under status counted
 * minute by minute (every time in these histories falls on a whole minute).
 */

const MINUTE = 60_000;
const SEEDS = [1, 2, 3, 4, 5, 6];
const OPEN = ["investigating", "identified", "monitoring"] as const;
const COMPONENT_STATUSES = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
] as const;
const PROMISES = [null, null, 10, 20, 45] as const;

type Figures = {
  incidents: { count: number; by_impact: Record<string, { count: number }> };
  first_post: { count: number; median: number | null; p90: number | null; worst: { minutes: number } | null };
  promises: { due: number; kept: number; late: { incident_id: string; minutes_late: number }[] };
  resolve: { count: number; median: number | null; p90: number | null };
  time_under_status: { status: string; minutes: number }[];
  uptime: { percent: number | null; minutes: Record<string, number> } | null;
};
type Review = {
  overall: Figures;
  previous_overall: Figures;
  by_component: { component_id: string; figures: Figures }[];
};
type Incident = { id: string; status: string; incident_updates: { id: string; display_at: string }[] };

let api: TestApi | undefined;
/** What the histories exercised, so a generator that stopped producing late promises would be noticed. */
const seen = { late: 0, kept: 0, acks: 0, firstPostsAfterStart: 0 };
afterEach(async () => {
  await api?.cleanup();
  api = undefined;
});

async function send<T>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }> {
  if (!api) throw new Error("no api");
  return api.request<T>(method, path, json === undefined ? { as: "admin" } : { as: "admin", json });
}

/** A random history of about three days from Nov 21, 12:00 UTC, across the previous period and the period. */
async function buildHistory(random: Random): Promise<void> {
  if (!api) throw new Error("no api");
  api.clock.set("2026-11-21T12:00:00.000Z");
  const ids: string[] = [];
  for (const name of ["API", "Web", "Mail"]) {
    const created = await send<{ id: string }>("POST", "/api/components", { name, start_date: "2026-11-01" });
    ids.push(created.body.id);
  }
  const open: Incident[] = [];
  for (let step = 0; step < 100; step++) {
    api.clock.advance((random.chance(0.5) ? random.int(1, 8) : random.int(10, 150)) * MINUTE);
    const now = api.clock.now().getTime();
    const choice = random.int(0, 9);
    const incident = open.length > 0 ? random.pick(open) : undefined;
    const someComponents = () =>
      Object.fromEntries(ids.filter(() => random.chance(0.5)).map((id) => [id, random.pick(COMPONENT_STATUSES)]));
    if (choice <= 1 || !incident) {
      const promise = random.pick(PROMISES);
      const backdate = random.chance(0.3) ? random.int(1, 30) * MINUTE : 0;
      const created = await send<Incident>("POST", "/api/incidents", {
        name: `Incident ${step}`,
        status: "investigating",
        body: "Looking.",
        components: someComponents(),
        ...(promise ? { next_update_in_minutes: promise } : {}),
        ...(backdate ? { display_at: new Date(now - backdate).toISOString() } : {}),
      });
      if (created.status === 201) open.push(created.body);
    } else if (choice <= 4) {
      const resolve = random.chance(0.3);
      const promise = random.pick(PROMISES);
      const posted = await send<Incident>("PATCH", `/api/incidents/${incident.id}`, {
        status: resolve ? "resolved" : random.pick(OPEN),
        body: "News.",
        ...(random.chance(0.4) ? { components: someComponents() } : {}),
        ...(promise && !resolve ? { next_update_in_minutes: promise } : {}),
      });
      if (posted.status === 200) {
        open.splice(open.indexOf(incident), 1);
        if (!resolve) open.push(posted.body);
      }
    } else if (choice === 5) {
      await send("POST", `/api/incidents/${incident.id}/acknowledge`, { minutes: random.int(5, 30) });
    } else if (choice === 6) {
      const update = random.pick(incident.incident_updates);
      const earlier = new Date(now - random.int(1, 90) * MINUTE).toISOString();
      const edited = await send<Incident>("PATCH", `/api/incidents/${incident.id}/updates/${update.id}`, {
        display_at: earlier,
      });
      if (edited.status === 200) open.splice(open.indexOf(incident), 1, edited.body);
    } else if (choice === 7) {
      await send("PATCH", `/api/components/${random.pick(ids)}`, { status: random.pick(COMPONENT_STATUSES) });
    } else if (choice === 8) {
      const start = now - random.int(60, 600) * MINUTE;
      await send("POST", "/api/incidents/backfill", {
        name: `Backfilled ${step}`,
        started_at: new Date(start).toISOString(),
        resolved_at: new Date(start + random.int(30, 300) * MINUTE).toISOString(),
        components: someComponents(),
        updates: [{ status: "investigating", display_at: new Date(start + random.int(0, 25) * MINUTE).toISOString() }],
      });
    }
  }
}

type Rows = {
  incidents: (typeof incidents.$inferSelect)[];
  updates: (typeof incidentUpdates.$inferSelect)[];
  changes: (typeof componentStatusChanges.$inferSelect)[];
  components: (typeof components.$inferSelect)[];
  acks: (typeof auditLog.$inferSelect)[];
  named: (typeof updateComponents.$inferSelect)[];
};

async function readRows(): Promise<Rows> {
  if (!api) throw new Error("no api");
  const { db } = api;
  return {
    incidents: await db.select().from(incidents),
    updates: await db.select().from(incidentUpdates),
    changes: await db.select().from(componentStatusChanges),
    components: await db.select().from(components),
    acks: (await db.select().from(auditLog)).filter((a) => a.action === "incident.acknowledge"),
    named: await db.select().from(updateComponents),
  };
}

const ms = (iso: string) => Date.parse(iso);
const round1 = (minutes: number) => Math.round(minutes * 10) / 10;

function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? null;
}

/** Every figure checked, computed the long way. */
function bruteForce(rows: Rows, from: number, to: number, now: number, componentId?: string) {
  // A component's incidents are those whose timeline names it, as its own page lists them.
  const touches = (incidentId: string) =>
    componentId === undefined || rows.named.some((n) => n.incidentId === incidentId && n.componentId === componentId);
  const period = rows.incidents.filter((i) => ms(i.startedAt) >= from && ms(i.startedAt) < to && touches(i.id));
  const real = period.filter((i) => i.kind === "incident");
  const updatesOf = (id: string) =>
    rows.updates
      .filter((u) => u.incidentId === id)
      .sort((a, b) => ms(a.displayAt) - ms(b.displayAt) || (a.id < b.id ? -1 : 1));

  const firstPosts = real.flatMap((i) => {
    const first = updatesOf(i.id)[0];
    return first ? [round1(Math.max(0, ms(first.displayAt) - ms(i.startedAt)) / MINUTE)] : [];
  });
  const resolves = real.flatMap((i) => (i.resolvedAt ? [round1((ms(i.resolvedAt) - ms(i.startedAt)) / MINUTE)] : []));

  let due = 0;
  let kept = 0;
  const late: number[] = [];
  for (const incident of period) {
    const updates = updatesOf(incident.id);
    const acks = rows.acks
      .filter((a) => a.targetId === incident.id && ms(a.at) <= now)
      .map((a) => ({ at: ms(a.at), due: ms(String(a.details.next_update_due_at)) }));
    // Every update and acknowledgement in order: by time, an update before an acknowledgement at the same
    // instant, updates at the same instant by id. Each promise is answered by the one after it.
    const events = [
      ...updates.map((u) => ({
        id: u.id,
        at: ms(u.displayAt),
        isUpdate: true,
        due:
          u.nextUpdateInMinutes && !["resolved", "postmortem", "completed"].includes(u.status)
            ? ms(u.displayAt) + u.nextUpdateInMinutes * MINUTE
            : null,
      })),
      ...acks.map((a, i) => ({ id: `ack${i}`, at: a.at, isUpdate: false, due: a.due })),
    ].sort((a, b) => a.at - b.at || Number(b.isUpdate) - Number(a.isUpdate) || (a.id < b.id ? -1 : 1));
    events.forEach((promise, k) => {
      if (promise.due === null) return;
      const after = events[k + 1];
      if (!after) {
        if (promise.due < now) {
          due += 1;
          late.push(round1((now - promise.due) / MINUTE));
        }
      } else if (after.isUpdate || after.at > promise.due) {
        due += 1;
        if (after.at <= promise.due) kept += 1;
        else late.push(round1((after.at - promise.due) / MINUTE));
      }
    });
  }

  const statusMinutes: Record<string, number> = {};
  for (const incident of period) {
    const updates = updatesOf(incident.id);
    const first = updates[0];
    if (!first) continue;
    for (let t = ms(first.displayAt); t < now; t += MINUTE) {
      const current = updates.filter((u) => ms(u.displayAt) <= t).at(-1);
      if (!current) continue;
      const last = current === updates.at(-1);
      if (["resolved", "postmortem", "completed", "scheduled"].includes(current.status)) continue;
      if (last || t < now) statusMinutes[current.status] = (statusMinutes[current.status] ?? 0) + 1;
    }
  }

  const uptimeMinutes: Record<string, number> = Object.fromEntries(COMPONENT_STATUSES.map((s) => [s, 0]));
  for (const component of rows.components) {
    if (component.isGroup || (componentId !== undefined && component.id !== componentId)) continue;
    const since = Math.min(ms(component.createdAt), ms(`${component.startDate ?? "9999-01-01"}T00:00:00.000Z`));
    const changes = rows.changes
      .filter((c) => c.componentId === component.id)
      .sort((a, b) => ms(a.at) - ms(b.at) || (a.id < b.id ? -1 : 1));
    for (let t = Math.max(from, since); t < Math.min(to, now); t += MINUTE) {
      const last = changes.filter((c) => ms(c.at) <= t).at(-1);
      const status = last ? last.newStatus : (changes[0]?.oldStatus ?? component.status);
      uptimeMinutes[status] = (uptimeMinutes[status] ?? 0) + 1;
    }
  }
  const measured =
    (uptimeMinutes.operational ?? 0) +
    (uptimeMinutes.degraded_performance ?? 0) +
    (uptimeMinutes.partial_outage ?? 0) +
    (uptimeMinutes.major_outage ?? 0);
  const down = (uptimeMinutes.major_outage ?? 0) + 0.3 * (uptimeMinutes.partial_outage ?? 0);

  return {
    incidents: real.length,
    byImpact: Object.fromEntries(
      ["none", "minor", "major", "critical"].map((impact) => [impact, real.filter((i) => i.impact === impact).length]),
    ),
    firstPost: {
      count: firstPosts.length,
      median: nearestRank(firstPosts, 50),
      p90: nearestRank(firstPosts, 90),
      worst: firstPosts.length ? Math.max(...firstPosts) : null,
    },
    resolve: { count: resolves.length, median: nearestRank(resolves, 50), p90: nearestRank(resolves, 90) },
    promises: { due, kept, late: late.sort((a, b) => b - a) },
    statusMinutes,
    uptime: {
      minutes: uptimeMinutes,
      percent: measured === 0 ? null : Math.round(100_000 * (1 - down / measured)) / 1000,
    },
  };
}

function figuresSaid(f: Figures) {
  return {
    incidents: f.incidents.count,
    byImpact: Object.fromEntries(
      ["none", "minor", "major", "critical"].map((i) => [i, f.incidents.by_impact[i]?.count]),
    ),
    firstPost: {
      count: f.first_post.count,
      median: f.first_post.median,
      p90: f.first_post.p90,
      worst: f.first_post.worst?.minutes ?? null,
    },
    resolve: { count: f.resolve.count, median: f.resolve.median, p90: f.resolve.p90 },
    promises: { due: f.promises.due, kept: f.promises.kept, late: f.promises.late.map((l) => l.minutes_late) },
    statusMinutes: Object.fromEntries(
      f.time_under_status.filter((s) => s.minutes > 0).map((s) => [s.status, s.minutes]),
    ),
    uptime: { minutes: f.uptime?.minutes, percent: f.uptime?.percent ?? null },
  };
}

describe("the review equals a brute force over random histories", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      api = await createTestApi();
      await buildHistory(seededRandom(seed));
      const now = api.clock.now().getTime();
      const rows = await readRows();
      const response = await send<Review>("GET", "/api/review?from=2026-11-23&to=2026-11-25");
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const review = response.body;
      seen.late += review.overall.promises.late.length;
      seen.kept += review.overall.promises.kept;
      seen.acks += rows.acks.length;
      seen.firstPostsAfterStart += review.overall.first_post.worst?.minutes ? 1 : 0;
      const from = ms("2026-11-23T00:00:00.000Z");
      const to = ms("2026-11-26T00:00:00.000Z");
      expect(figuresSaid(review.overall), `seed ${seed}: the period`).toEqual(bruteForce(rows, from, to, now));
      expect(figuresSaid(review.previous_overall), `seed ${seed}: the previous period`).toEqual(
        bruteForce(rows, from - (to - from), from, now),
      );
      for (const component of review.by_component) {
        expect(figuresSaid(component.figures), `seed ${seed}: ${component.component_id}`).toEqual(
          bruteForce(rows, from, to, now, component.component_id),
        );
      }
    });
  }

  it("the histories held late and kept promises, acknowledgements and late first posts", () => {
    expect(seen.late).toBeGreaterThan(0);
    expect(seen.kept).toBeGreaterThan(0);
    expect(seen.acks).toBeGreaterThan(0);
    expect(seen.firstPostsAfterStart).toBeGreaterThan(0);
  });
});
