import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { paths } from "../../../core/public/paths.ts";
import { followUpRoutes, monthsBeside } from "../../../jobs/render/follow-up-routes.ts";
import { routeFile } from "../../../jobs/render/routes.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let ctx: ActionContext;
let release: string;
const clock = manualClock("2026-09-10T10:00:00.000Z");

beforeEach(async () => {
  testDb = await createTestDb();
  clock.set("2026-09-10T10:00:00.000Z");
  await setupPage(testDb.db, clock);
  ctx = contextFor(testDb.db, clock);
  release = path.join(testDb.dir, "release");
  await mkdir(release);
});
afterEach(() => testDb.cleanup());

/** Puts a route's file in the release, as a pass that rendered it would have. */
async function shown(route: string): Promise<void> {
  const file = routeFile(release, route);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, "rendered");
}

async function openIncidentOn(day: string, componentId: string): Promise<string> {
  clock.set(`${day}T10:00:00.000Z`);
  const incident = await openIncidentNow(ctx, {
    name: `Outage on ${day}`,
    body: "Looking into it.",
    components: { [componentId]: "major_outage" },
  });
  return incident.id;
}

describe("what follows a change's first pass", () => {
  it("the named components' pages and feeds, every other component's page (its uptime moves with time) and the reliability page", async () => {
    const api = await run(ctx, createComponent, { name: "API" });
    const web = await run(ctx, createComponent, { name: "Web" });
    const routes = await followUpRoutes(testDb.db, release, [{ components: [api.id] }]);
    expect(routes).toEqual([
      paths.component(api.id),
      paths.componentFeed(api.id, "rss"),
      paths.componentFeed(api.id, "atom"),
      paths.component(web.id),
      paths.reliability(),
    ]);
  });

  it("a month that gained its first incident brings the nearest shown months on each side; one that stays, none", async () => {
    const api = await run(ctx, createComponent, { name: "API" });
    await openIncidentOn("2026-07-02", api.id);
    await openIncidentOn("2026-09-02", api.id);
    await openIncidentOn("2026-11-02", api.id);
    await shown(paths.historyMonth("2026-07"));
    await shown(paths.historyMonth("2026-11"));
    const months = (topics: { months: string[] }[]) =>
      followUpRoutes(testDb.db, release, topics).then((routes) => routes.filter((r) => r.startsWith("/history/")));
    // 2026-09 is in the database, not yet on disk: its neighbours' links change.
    expect(await months([{ months: ["2026-09"] }])).toEqual([
      paths.historyMonth("2026-07"),
      paths.historyMonth("2026-11"),
    ]);
    // 2026-11 is both: its neighbours keep their links.
    expect(await months([{ months: ["2026-11"] }])).toEqual([]);
  });

  it("a month that lost its last incident (its page still shown) brings its neighbours", () => {
    const onDisk = new Set(["2026-07", "2026-09", "2026-11"]);
    expect(monthsBeside(["2026-07", "2026-11"], ["2026-09"], (m) => onDisk.has(m))).toEqual(["2026-07", "2026-11"]);
    // Neither shown nor in the database, or no month at all: nothing.
    expect(monthsBeside(["2026-07", "2026-11"], ["2026-01", "../x"], (m) => onDisk.has(m))).toEqual([]);
  });
});
