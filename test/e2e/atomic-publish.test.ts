import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderTopics } from "../../core/commit.ts";
import { postUpdate } from "../../core/incidents/post-update.ts";
import { currentSiteDir } from "../../jobs/render/index.ts";
import { contextFor } from "../helpers/database.ts";
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

    const ctx = contextFor(site.db, site.clock);
    for (let i = 0; i < 15; i++) {
      site.clock.advance(60_000);
      await postUpdate(ctx, site.ids.openIncident, { body: `Still working on it (${i}).` });
      const topics: RenderTopics = { incidents: [site.ids.openIncident], months: ["2026-11"] };
      if (i % 5 === 4) await site.renderer.renderAll();
      else await site.renderer.renderTopics([topics]);
    }
    await site.renderer.settled();
    writing = false;
    await reader;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(100);
    expect(await readFile(join(root, "index.html"), "utf8")).toContain("Still working on it (14).");
  });
});
