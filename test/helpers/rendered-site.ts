import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../../api/app.ts";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { writePostmortem } from "../../core/incidents/write-postmortem.ts";
import { builtInValues } from "../../core/templates/built-ins.ts";
import { createRenderer, currentSiteDir, type Renderer } from "../../jobs/render/index.ts";
import { heraldListener, listen, siteChangeListener } from "../../server/http.ts";
import { createSiteServer, type SiteServer } from "../../server/static-site.ts";
import { openIncidentNow, postUpdateNow } from "./actions.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "./database.ts";

const SITE_DIST = fileURLToPath(new URL("../../site/dist", import.meta.url));
const HOUR = 3_600_000;

export type RenderedSite = TestDb & {
  /** The served site's origin (TestDb's `url` is the database's). */
  url: string;
  databaseUrl: string;
  dataDir: string;
  renderer: Renderer;
  site: SiteServer;
  clock: ReturnType<typeof manualClock>;
  ids: { openIncident: string; resolvedIncident: string; component: string; group: string; month: string };
  close(): Promise<void>;
};

/**
 * A realistic page rendered by the real renderer and served by the real server: 10 components (one
 * group), 60 days of past incidents, an open incident with a promised update, a published postmortem,
 * and maintenance in progress and upcoming.
 */
export async function renderRealisticSite(): Promise<RenderedSite> {
  const testDb = await createTestDb();
  const clock = manualClock("2026-09-20T08:00:00.000Z");
  await setupPage(testDb.db, clock);
  const ctx = contextFor(testDb.db, clock);
  const group = await run(ctx, createComponent, { name: "Platform", group: true, description: "Core infrastructure" });
  const names = ["Website", "API", "Dashboard", "Webhooks", "Email delivery", "CDN", "Billing"];
  const components = [];
  for (const name of names)
    components.push(await run(ctx, createComponent, { name, description: `${name} for all regions` }));
  for (const name of ["Database", "Job queue", "Object storage"]) {
    components.push(await run(ctx, createComponent, { name, group_id: group.id }));
  }
  const [website, api, , webhooks, , , , database] = components;
  if (!website || !api || !webhooks || !database) throw new Error("fixture components missing");

  let resolvedIncident = "";
  for (let day = 0; day < 60; day += 7) {
    clock.set(new Date(Date.parse("2026-09-20T08:00:00.000Z") + day * 24 * HOUR).toISOString());
    const target = [api, database, webhooks][day % 3] ?? api;
    const incident = await openIncidentNow(ctx, {
      name: `Elevated errors on ${target.name}`,
      components: { [target.id]: day % 2 ? "partial_outage" : "major_outage" },
      body: "We are investigating **elevated error rates**.",
    });
    clock.advance(2 * HOUR);
    await postUpdateNow(ctx, incident.id, { status: "resolved", body: "Resolved. A fix is deployed." });
    resolvedIncident = incident.id;
  }
  await run(ctx, writePostmortem, {
    id: resolvedIncident,
    body: "## What happened\n\nA full disk on the **primary**.",
  });

  clock.set("2026-11-26T09:00:00.000Z");
  const active = await openIncidentNow(ctx, {
    kind: "maintenance",
    name: "Database failover drill",
    scheduled_for: "2026-11-26T08:30:00Z",
    scheduled_until: "2026-11-26T10:30:00Z",
  });
  await postUpdateNow(ctx, active.id, { status: "in_progress", components: { [database.id]: "under_maintenance" } });
  await openIncidentNow(ctx, {
    kind: "maintenance",
    name: "Email provider migration",
    scheduled_for: "2026-12-02T02:00:00Z",
    scheduled_until: "2026-12-02T04:00:00Z",
  });
  clock.set("2026-11-26T10:00:00.000Z");
  const open = await openIncidentNow(ctx, {
    name: "Delayed webhook deliveries",
    status: "identified",
    // The time as a template's {{next_update_at}} writes it.
    body: `Webhooks are delayed by up to **15 minutes**. [Status of the queue](https://example.com/queue). Next update by ${
      builtInValues({
        page: { name: "Acme Status", timeZone: "Etc/UTC" },
        componentNames: [],
        incidentName: "Delayed webhook deliveries",
        nextUpdateAt: new Date("2026-11-26T10:30:00.000Z"),
        window: { startsAt: null, endsAt: null },
        now: clock.now(),
      }).next_update_at
    }.`,
    components: { [webhooks.id]: "degraded_performance", [api.id]: "partial_outage" },
    next_update_in_minutes: 30,
  });

  const dataDir = join(testDb.dir, "data");
  await mkdir(dataDir, { recursive: true });
  const site = createSiteServer({ siteDir: currentSiteDir(dataDir) });
  const renderer = await createRenderer({
    db: testDb.db,
    dataDir,
    siteDist: SITE_DIST,
    onChange: siteChangeListener(site),
  });
  await renderer.renderAll();
  const app = createApp({ db: testDb.db, clock, log: () => {} });
  const server = await listen(heraldListener(app, site), 0, "127.0.0.1");
  return {
    ...testDb,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    databaseUrl: testDb.url,
    dataDir,
    renderer,
    site,
    clock,
    ids: { openIncident: open.id, resolvedIncident, component: api.id, group: group.id, month: "2026-11" },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testDb.cleanup();
    },
  };
}
