import { mkdir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { ComponentStatus } from "../../core/model/statuses.ts";
import { startNewDay } from "../../core/page/start-new-day.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { historyMonths, incidents } from "../../db/schema.ts";
import { createRenderer, currentSiteDir, type Renderer } from "../../jobs/render/index.ts";
import { type LiveHerald, startLiveHerald } from "../helpers/live-herald.ts";
import { type Random, seededRandom, seedFromEnv } from "../helpers/prng.ts";
import { firstSiteDifference } from "../helpers/site-diff.ts";

/** How many changes to apply; raise it for a deeper local run (`HERALD_RANDOM_CHANGES=2000`). */
const CHANGES = Number(process.env.HERALD_RANDOM_CHANGES ?? 200);
/** Compare with a full render after every this many changes (1 pins a failure to its change). */
const CHECK_EVERY = Number(process.env.HERALD_RANDOM_CHECK_EVERY ?? 25);
/** Replay a failure with `HERALD_RANDOM_SEED=<the printed seed>`. */
const SEED = seedFromEnv("HERALD_RANDOM_SEED");
const SITE_DIST = fileURLToPath(new URL("../../site/dist", import.meta.url));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DOWN_STATUSES: ComponentStatus[] = ["degraded_performance", "partial_outage", "major_outage"];
const ALL_STATUSES: ComponentStatus[] = ["operational", "under_maintenance", ...DOWN_STATUSES];

type World = { incidents: AdminIncident[]; components: V2Component[]; now: number };
/** One change: an admin API request, or time passing (with the new-day check the server runs on a timer). */
type Change = { label: string; method: string; path: string; body?: unknown } | { label: string; timePasses: number };
type Generator = { weight: number; make(world: World, random: Random, n: number): Change | null };

const iso = (ms: number) => new Date(ms).toISOString();
const isOpen = (incident: AdminIncident) => incident.resolved_at === null;
const leaves = (world: World) => world.components.filter((c) => !c.group);
const groups = (world: World) => world.components.filter((c) => c.group);

/** A time between `from` and `to`, to the second (the API keeps milliseconds; pages show minutes). */
function timeBetween(random: Random, from: number, to: number): string {
  return iso(Math.floor((from + random.next() * Math.max(0, to - from)) / 1000) * 1000);
}

function componentChanges(world: World, random: Random, statuses: ComponentStatus[]): Record<string, ComponentStatus> {
  const changes: Record<string, ComponentStatus> = {};
  const candidates = leaves(world);
  const count = candidates.length === 0 ? 0 : random.int(0, Math.min(3, candidates.length));
  for (let i = 0; i < count; i++) changes[random.pick(candidates).id] = random.pick(statuses);
  return changes;
}

function text(random: Random, n: number): string {
  return random.pick([
    `We are looking into it (${n}).`,
    `A fix is **rolling out** to the affected regions (${n}).`,
    `Customers may see errors.\n\n- retries work\n- see [the runbook](https://example.com/runbook/${n})`,
    `## Details\n\nQueue depth is back to normal (${n}).`,
  ]);
}

const GENERATORS: Record<string, Generator> = {
  openIncident: {
    weight: 8,
    make: (world, random, n) => {
      const body: Record<string, unknown> = {
        name: `Incident ${n}: ${random.pick(["errors", "latency", "timeouts", "partial outage"])}`,
        status: random.pick(["investigating", "identified", "monitoring"]),
        body: text(random, n),
        components: componentChanges(world, random, DOWN_STATUSES),
      };
      if (random.chance(0.3)) body.display_at = timeBetween(random, world.now - 3 * DAY, world.now);
      if (random.chance(0.2)) body.impact = random.pick(["minor", "major", "critical"]);
      if (random.chance(0.3)) body.next_update_in_minutes = random.int(15, 240);
      return { label: "open an incident", method: "POST", path: "/api/incidents", body };
    },
  },
  postUpdate: {
    weight: 12,
    make: (world, random, n) => {
      const open = world.incidents.filter(isOpen);
      if (open.length === 0) return null;
      const incident = random.pick(open);
      const statuses = incident.kind === "incident" ? ["investigating", "identified", "monitoring"] : ["in_progress"];
      const body: Record<string, unknown> = {
        status: random.pick(statuses),
        body: text(random, n),
        components: componentChanges(
          world,
          random,
          incident.kind === "incident" ? ALL_STATUSES : ["under_maintenance", "operational"],
        ),
      };
      if (random.chance(0.25))
        body.display_at = timeBetween(random, Date.parse(incident.started_at ?? incident.created_at), world.now);
      if (random.chance(0.2)) body.next_update_in_minutes = random.int(15, 240);
      return { label: "post an update", method: "POST", path: `/api/incidents/${incident.id}/updates`, body };
    },
  },
  resolve: {
    weight: 5,
    make: (world, random, n) => {
      const open = world.incidents.filter(isOpen);
      if (open.length === 0) return null;
      const incident = random.pick(open);
      const body: Record<string, unknown> = {
        status: incident.kind === "incident" ? "resolved" : "completed",
        body: random.chance(0.5) ? text(random, n) : undefined,
      };
      if (random.chance(0.3)) body.components = componentChanges(world, random, ["operational"]);
      return { label: "resolve", method: "POST", path: `/api/incidents/${incident.id}/updates`, body };
    },
  },
  renameIncident: {
    weight: 3,
    make: (world, random, n) => {
      if (world.incidents.length === 0) return null;
      const incident = random.pick(world.incidents);
      return {
        label: "rename an incident",
        method: "PATCH",
        path: `/api/incidents/${incident.id}`,
        body: { name: `${incident.name.split(" (")[0]} (renamed ${n})` },
      };
    },
  },
  backdateUpdate: {
    weight: 3,
    make: (world, random, n) => {
      const withUpdates = world.incidents.filter((i) => i.incident_updates.length > 0);
      if (withUpdates.length === 0) return null;
      const incident = random.pick(withUpdates);
      const update = random.pick(incident.incident_updates);
      const body: Record<string, unknown> = random.chance(0.6)
        ? { display_at: timeBetween(random, Date.parse(incident.started_at ?? incident.created_at), world.now) }
        : { body: `Corrected: ${text(random, n)}` };
      return {
        label: "correct an update",
        method: "PATCH",
        path: `/api/incidents/${incident.id}/updates/${update.id}`,
        body,
      };
    },
  },
  scheduleMaintenance: {
    weight: 4,
    make: (world, random, n) => {
      const start = Math.floor((world.now - 2 * HOUR + random.next() * 5 * DAY) / MINUTE) * MINUTE;
      return {
        label: "schedule maintenance",
        method: "POST",
        path: "/api/incidents",
        body: {
          kind: "maintenance",
          name: `Maintenance ${n}`,
          body: text(random, n),
          scheduled_for: iso(start),
          scheduled_until: iso(start + random.int(1, 6) * HOUR),
          components: random.chance(0.5) ? componentChanges(world, random, ["under_maintenance"]) : {},
        },
      };
    },
  },
  reschedule: {
    weight: 1,
    make: (world, random) => {
      const planned = world.incidents.filter((i) => i.kind === "maintenance" && isOpen(i));
      if (planned.length === 0) return null;
      const start = Math.floor((world.now + random.next() * 4 * DAY) / MINUTE) * MINUTE;
      return {
        label: "reschedule maintenance",
        method: "PATCH",
        path: `/api/incidents/${random.pick(planned).id}`,
        body: { scheduled_for: iso(start), scheduled_until: iso(start + 2 * HOUR) },
      };
    },
  },
  postmortem: {
    weight: 2,
    make: (world, random, n) => {
      const resolved = world.incidents.filter((i) => i.kind === "incident" && !isOpen(i));
      if (resolved.length === 0) return null;
      return {
        label: "write a postmortem",
        method: "PUT",
        path: `/api/incidents/${random.pick(resolved).id}/postmortem`,
        body: { body: `## What happened\n\nA bad deploy (${n}).`, publish: random.chance(0.7) },
      };
    },
  },
  deleteIncident: {
    weight: 1,
    make: (world, random) =>
      world.incidents.length < 3
        ? null
        : { label: "delete an incident", method: "DELETE", path: `/api/incidents/${random.pick(world.incidents).id}` },
  },
  createComponent: {
    weight: 4,
    make: (world, random, n) => {
      const group = groups(world).length > 0 && random.chance(0.4) ? random.pick(groups(world)).id : undefined;
      return {
        label: "create a component",
        method: "POST",
        path: "/api/components",
        body: { name: `Component ${n}`, description: `Serves region ${n}`, group_id: group },
      };
    },
  },
  createGroup: {
    weight: 1,
    make: (_world, _random, n) => ({
      label: "create a group",
      method: "POST",
      path: "/api/components",
      body: { name: `Group ${n}`, group: true },
    }),
  },
  renameComponent: {
    weight: 2,
    make: (world, random, n) => {
      if (world.components.length === 0) return null;
      const component = random.pick(world.components);
      return {
        label: "rename a component",
        method: "PATCH",
        path: `/api/components/${component.id}`,
        body: { name: `${component.name.split(" (")[0]} (renamed ${n})` },
      };
    },
  },
  moveComponent: {
    weight: 2,
    make: (world, random) => {
      if (leaves(world).length === 0 || groups(world).length === 0) return null;
      const component = random.pick(leaves(world));
      const target = random.chance(0.3) ? null : random.pick(groups(world)).id;
      return {
        label: "move a component",
        method: "PATCH",
        path: `/api/components/${component.id}`,
        body: { group_id: target },
      };
    },
  },
  setComponentStatus: {
    weight: 3,
    make: (world, random) => {
      if (leaves(world).length === 0) return null;
      return {
        label: "set a component's status",
        method: "PATCH",
        path: `/api/components/${random.pick(leaves(world)).id}`,
        body: { status: random.pick(ALL_STATUSES) },
      };
    },
  },
  describeComponent: {
    weight: 1,
    make: (world, random, n) => {
      if (world.components.length === 0) return null;
      return {
        label: "describe a component",
        method: "PATCH",
        path: `/api/components/${random.pick(world.components).id}`,
        body: random.chance(0.5)
          ? { description: random.chance(0.2) ? null : `Now in ${n} regions` }
          : { only_show_if_degraded: random.chance(0.5), showcase: random.chance(0.7) },
      };
    },
  },
  reorderComponents: {
    weight: 1,
    make: (world, random) => {
      const top = world.components.filter((c) => c.group_id === null);
      if (top.length < 2) return null;
      const ids = top.map((c) => c.id);
      for (let i = ids.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
      }
      return { label: "reorder components", method: "POST", path: "/api/components/reorder", body: { ids } };
    },
  },
  deleteComponent: {
    weight: 1,
    make: (world, random) =>
      world.components.length < 4
        ? null
        : {
            label: "delete a component or group",
            method: "DELETE",
            path: `/api/components/${random.pick(world.components).id}`,
          },
  },
  timePasses: {
    weight: 2,
    make: (_world, random) => ({ label: "time passes", timePasses: random.int(1, 20) * HOUR }),
  },
};

function chooseChange(world: World, random: Random, n: number): Change {
  const entries = Object.values(GENERATORS);
  const total = entries.reduce((sum, g) => sum + g.weight, 0);
  for (;;) {
    let roll = random.next() * total;
    let generator = entries[0] as Generator;
    for (const candidate of entries) {
      generator = candidate;
      roll -= candidate.weight;
      if (roll < 0) break;
    }
    const change = generator.make(world, random, n);
    if (change) return change;
  }
}

function describeChange(n: number, change: Change): string {
  if ("timePasses" in change) return `#${n} ${change.label}: ${change.timePasses / HOUR} h`;
  const body = change.body === undefined ? "" : ` ${JSON.stringify(change.body)}`;
  return `#${n} ${change.label}: ${change.method} ${change.path}${body}`;
}

let herald: LiveHerald;
let full: Renderer;
let fullDir: string;

beforeAll(async () => {
  // Late November, so the history crosses into a new month.
  herald = await startLiveHerald("2026-11-24T09:00:00.000Z");
  fullDir = join(herald.dir, "full-render");
  await mkdir(fullDir, { recursive: true });
  full = await createRenderer({ db: herald.db, dataDir: fullDir, siteDist: SITE_DIST });
});
afterAll(() => herald?.close());

async function observe(): Promise<World> {
  const [incidents, components] = await Promise.all([
    herald.request<AdminIncident[]>("GET", "/api/incidents?limit=500"),
    herald.request<V2Component[]>("GET", "/api/components"),
  ]);
  return { incidents: incidents.body, components: components.body, now: herald.clock.now().getTime() };
}

/** The history months' counts as the incidents table has them now. */
async function recountedMonths(): Promise<(typeof historyMonths.$inferSelect)[]> {
  const month = sql<string>`substr(${incidents.startedAt}, 1, 7)`;
  const rows = await herald.db
    .select({ month, count: sql<number>`count(*)`, maintenances: sql<number>`sum(${incidents.kind} = 'maintenance')` })
    .from(incidents)
    .groupBy(month)
    .orderBy(month);
  return rows.map((r) => ({
    month: r.month,
    incidents: Number(r.count) - Number(r.maintenances),
    maintenances: Number(r.maintenances),
  }));
}

describe("rendering change by change", () => {
  it(`after ${CHANGES} random changes, the incrementally rendered site is byte-identical to a full render`, async () => {
    console.log(`Random changes: seed ${SEED} (replay with HERALD_RANDOM_SEED=${SEED}), ${CHANGES} changes.`);
    const random = seededRandom(SEED);
    const applied: string[] = [];
    const refused: string[] = [];
    let sinceCheck: string[] = [];
    const started = Date.now();
    let incrementalMs = 0;
    let fullMs = 0;
    while (applied.length < CHANGES) {
      herald.clock.advance(random.int(1, 45) * MINUTE);
      const world = await observe();
      const n = applied.length + 1;
      const change = chooseChange(world, random, n);
      const label = describeChange(n, change);
      if ("timePasses" in change) {
        herald.clock.advance(change.timePasses);
        await run(herald.system, startNewDay, {});
      } else {
        const result = await herald.request<{ detail?: string }>(change.method, change.path, change.body);
        if (result.status >= 500) throw new Error(`${label} answered ${result.status}: ${JSON.stringify(result.body)}`);
        if (result.status >= 400) {
          refused.push(`${label} → ${result.status} ${result.body?.detail ?? ""}`);
          if (refused.length > CHANGES) throw new Error(`Most changes were refused:\n${refused.join("\n")}`);
          continue;
        }
      }
      applied.push(label);
      sinceCheck.push(label);
      const renderStarted = performance.now();
      await herald.settled();
      incrementalMs += performance.now() - renderStarted;

      if (applied.length % CHECK_EVERY === 0 || applied.length === CHANGES) {
        const fullStarted = performance.now();
        await full.renderAll();
        fullMs += performance.now() - fullStarted;
        const difference = await firstSiteDifference(await realpath(currentSiteDir(fullDir)), await herald.liveSite());
        if (difference) {
          throw new Error(
            [
              `After change #${applied.length} (seed ${SEED}), ${difference.route} (${difference.file}) differs from a full render: ${difference.detail}`,
              "Changes since the last matching check:",
              ...sinceCheck,
            ].join("\n"),
          );
        }
        // Both renders read the month counts, so a count that drifted would not show as a difference.
        expect(await herald.db.select().from(historyMonths).orderBy(historyMonths.month)).toEqual(
          await recountedMonths(),
        );
        sinceCheck = [];
      }
    }
    const world = await observe();
    console.log(
      `Applied ${applied.length} changes (${refused.length} refused) in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(${(incrementalMs / 1000).toFixed(1)} s waiting for renders, ${(fullMs / 1000).toFixed(1)} s of full renders): ` +
        `${world.incidents.length} incidents, ${world.components.length} components.`,
    );
    expect(applied).toHaveLength(CHANGES);
  }, 600_000);
});
