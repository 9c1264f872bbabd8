import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import { postUpdate } from "../../core/incidents/post-update.ts";
import { currentSiteDir } from "../../jobs/render/index.ts";
import { contextFor } from "../helpers/database.ts";
import { startRenderJobs } from "../helpers/render-jobs.ts";
import { type RenderedSite, renderRealisticSite } from "../helpers/rendered-site.ts";

let site: RenderedSite;

beforeAll(async () => {
  site = await renderRealisticSite();
}, 120_000);
afterAll(() => site?.close());

describe("publishing while customers read", () => {
  it("a reader never sees a half-written or missing page, across partial and full renders", async () => {
    const files = ["index.html", `incidents/${site.ids.openIncident}/index.html`, "api/v2/summary.json", "history.rss"];
    const root = currentSiteDir(site.dataDir);
    let reads = 0;
    const problems: string[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) {
        for (const file of files) {
          try {
            const text = await readFile(join(root, file), "utf8");
            reads++;
            const complete = file.endsWith(".json") ? text.endsWith("}") : /<\/(html|rss)>\s*$/.test(text);
            if (!complete) problems.push(`torn read of ${file} (${text.length} bytes)`);
          } catch (error) {
            problems.push(`${file}: ${(error as Error).message}`);
          }
        }
      }
    })();

    // Changes go through the product's own path: an action commits its render job, the outbox runner
    // renders what that job names; every fifth turn a full render runs too, as at a start.
    const renderJobs = startRenderJobs(site.db, site.clock, site.renderer);
    const ctx = { ...contextFor(site.db, site.clock), onCommit: () => renderJobs.runner.wake() };
    for (let i = 0; i < 15; i++) {
      site.clock.advance(60_000);
      await postUpdate(ctx, site.ids.openIncident, {
        body: `Still working on it (${i}).`,
        components: { [site.ids.component]: i % 2 ? "partial_outage" : "degraded_performance" },
      });
      if (i % 3 === 1) await run(ctx, updateComponent, { id: site.ids.component, description: `Serves ${i} regions` });
      if (i % 5 === 4) await site.renderer.renderAll();
      await renderJobs.settled();
    }
    await renderJobs.stop();
    writing = false;
    await reader;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(100);
    expect(await readFile(join(root, "index.html"), "utf8")).toContain("Still working on it (14).");
    expect(await readFile(join(root, "components", site.ids.component, "index.html"), "utf8")).toContain(
      "Serves 13 regions",
    );
  });
});
