import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { deleteIncident } from "../../../core/incidents/delete-incident.ts";
import { createRenderer, currentSiteDir, type Renderer } from "../../../jobs/render/index.ts";
import { openIncidentNow, postUpdateNow } from "../../helpers/actions.ts";
import { contextFor } from "../../helpers/database.ts";
import { type HookReceiver, startHookReceiver } from "../../helpers/hook-receiver.ts";
import { startRenderJobs } from "../../helpers/render-jobs.ts";
import { type RenderedSite, renderRealisticSite } from "../../helpers/rendered-site.ts";
import { type S3Server, startS3Server } from "../../helpers/s3-server.ts";

/*
 * Publishing to object storage: the real renderer publishing to a real S3-compatible server (s3rver in its
 * own process), read back the way a CDN in front of the bucket reads it.
 */

const SITE_DIST = fileURLToPath(new URL("../../../site/dist", import.meta.url));
const PREFIX = "status/";

let site: RenderedSite;
let s3: S3Server;
let hook: HookReceiver;
let renderer: Renderer;
let dataDir = "";

beforeAll(async () => {
  site = await renderRealisticSite();
  s3 = await startS3Server(join(site.dir, "s3"));
  hook = await startHookReceiver();
  dataDir = join(site.dir, "publisher");
  await mkdir(dataDir, { recursive: true });
  renderer = await createRenderer({
    db: site.db,
    dataDir,
    siteDist: SITE_DIST,
    publish: { target: s3.target(PREFIX), hookUrl: hook.url },
    logPublishes: true,
  });
  await renderer.renderAll();
}, 120_000);

afterAll(async () => {
  await renderer?.close();
  await hook?.close();
  await s3?.stop();
  await site?.close();
});

/** Release files a page links to on its own site, as keys in the bucket. */
function linkedKeys(html: string): string[] {
  const keys = new Set<string>();
  for (const [, target = ""] of html.matchAll(/\s(?:href|src)="(\/(?!\/)[^"#?]*)"/g))
    keys.add(PREFIX + (target.endsWith("/") ? `${target.slice(1)}index.html` : target.slice(1)));
  return [...keys];
}

/**
 * A reader's GET. s3rver writes an object in place (S3, R2 and MinIO swap it whole), so a read racing a
 * write of that very object can fail there with a 500, a connection cut mid-body or fewer bytes than its
 * length (S3Server's `whole`): read again, as a CDN would. A 404 is an answer, never retried.
 */
async function readerGet(key: string): Promise<{ status: number; body: string }> {
  for (let attempt = 0; ; attempt++) {
    const found = await s3.get(key).catch(() => null);
    if ((found?.whole && found.status < 500) || attempt === 20) return found ?? { status: 599, body: "" };
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("publishing to S3-compatible object storage", () => {
  it("a full render puts every page in the bucket with its content type and cache policy", async () => {
    const keys = await s3.keys();
    expect(keys).toContain(`${PREFIX}index.html`);
    expect(keys).toContain(`${PREFIX}api/v2/summary.json`);
    expect(keys).toContain(`${PREFIX}incidents/${site.ids.openIncident}/index.html`);
    const index = await s3.get(`${PREFIX}index.html`);
    expect(index.status).toBe(200);
    expect(index.body).toContain("Delayed webhook deliveries");
    expect(index.contentType).toBe("text/html; charset=utf-8");
    expect(index.cacheControl).toBe("public, max-age=0, must-revalidate");
    expect((await s3.get(`${PREFIX}api/v2/summary.json`)).contentType).toBe("application/json; charset=utf-8");
    expect((await s3.get(`${PREFIX}history.rss`)).contentType).toBe("application/rss+xml; charset=utf-8");
    const asset = keys.find((key) => key.startsWith(`${PREFIX}_astro/`) && key.endsWith(".css"));
    if (!asset) throw new Error(`no stylesheet in ${keys.join(", ")}`);
    expect(await s3.head(asset)).toEqual({
      contentType: "text/css; charset=utf-8",
      cacheControl: "public, max-age=31536000, immutable",
    });
    // Every object a page links to is there, and the bucket holds exactly the release's files.
    for (const key of linkedKeys(index.body)) expect(keys, `index links ${key}`).toContain(key);
    const published = keys.filter((key) => key !== `${PREFIX}.herald-publish.json`);
    expect(published.filter((key) => /\.(br|gz)$|\/\.|_headers$/.test(key))).toEqual([]);
    // The release itself keeps its compressed copies and the static hosts' `_headers`.
    const headersFile = await readFile(join(currentSiteDir(dataDir), "_headers"), "utf8");
    expect(headersFile).toContain("/api/v2/*\n  Access-Control-Allow-Origin: *");
    await waitFor(() => hook.calls.some((call) => call.full), "the hook after the full publish");
  });

  it("a change writes only the objects whose bytes changed, and the hook names them", async () => {
    const ctx = contextFor(site.db, site.clock);
    const jobs = startRenderJobs(site.db, site.clock, renderer);
    const before = hook.calls.length;
    site.clock.advance(60_000);
    await postUpdateNow(ctx, site.ids.openIncident, { body: "A fix is rolling out to every region." });
    await jobs.settled();
    await jobs.stop();
    await waitFor(() => hook.calls.length > before, "the hook after the change");
    const changed = new Set(hook.calls.slice(before).flatMap((call) => call.paths));
    expect(changed).toContain("/");
    expect(changed).toContain(`/incidents/${site.ids.openIncident}/`);
    expect(changed).toContain("/api/v2/summary.json");
    // A resolved incident's page and the assets did not change: not written again.
    expect(changed).not.toContain(`/incidents/${site.ids.resolvedIncident}/`);
    expect([...changed].filter((path) => path.startsWith("/_astro/"))).toEqual([]);
    expect((await s3.get(`${PREFIX}incidents/${site.ids.openIncident}/index.html`)).body).toContain(
      "A fix is rolling out to every region.",
    );
  });

  it("a deleted incident's page leaves the bucket, and nothing links to it any more", async () => {
    const ctx = contextFor(site.db, site.clock);
    const jobs = startRenderJobs(site.db, site.clock, renderer);
    site.clock.advance(60_000);
    await run(ctx, deleteIncident, { id: site.ids.resolvedIncident });
    await jobs.settled();
    await jobs.stop();
    const keys = await s3.keys();
    expect(keys).not.toContain(`${PREFIX}incidents/${site.ids.resolvedIncident}/index.html`);
    expect((await s3.get(`${PREFIX}incidents/${site.ids.resolvedIncident}/index.html`)).status).toBe(404);
    for (const key of keys.filter((k) => k.endsWith(".html"))) {
      const page = await s3.get(key);
      expect(page.body, key).not.toContain(`/incidents/${site.ids.resolvedIncident}/`);
    }
  });

  it("never uploads hidden files, nor a symlink leading out of the release", async () => {
    const release = currentSiteDir(dataDir);
    await writeFile(join(release, ".env"), "SECRET=1\n");
    await mkdir(join(release, ".git"), { recursive: true });
    await writeFile(join(release, ".git", "config"), "[core]\n");
    const outside = join(site.dir, "outside.txt");
    await writeFile(outside, "not the site's\n");
    await symlink(outside, join(release, "leak.txt"));
    await symlink(join(release, "favicon.svg"), join(release, "icon-link.svg"));
    // A new process publishes its whole live release first.
    await renderer.publishLive();
    const keys = await s3.keys();
    expect(keys.filter((key) => key.includes("/.") && !key.endsWith(".herald-publish.json"))).toEqual([]);
    expect(keys).not.toContain(`${PREFIX}leak.txt`);
    // A symlink that stays inside the release is served by the Node server, so it is published too.
    expect(keys).toContain(`${PREFIX}icon-link.svg`);
    expect((await s3.get(`${PREFIX}icon-link.svg`)).body).toBe(await readFile(join(release, "favicon.svg"), "utf8"));
  });

  it("a reader polling the bucket during publishes always finds every object the pages link to", async () => {
    const ctx = contextFor(site.db, site.clock);
    const jobs = startRenderJobs(site.db, site.clock, renderer);
    const published = vi.spyOn(console, "log");
    const problems: string[] = [];
    let reads = 0;
    let publishing = true;
    const reader = (async () => {
      while (publishing) {
        const index = await readerGet(`${PREFIX}index.html`);
        reads++;
        if (index.status !== 200) problems.push(`index: ${index.status}`);
        for (const key of linkedKeys(index.body)) {
          const linked = await readerGet(key);
          reads++;
          if (linked.status !== 200) problems.push(`index links ${key}: ${linked.status}`);
          else if (key.includes("/incidents/") || key.includes("/components/")) {
            for (const deeper of linkedKeys(linked.body)) {
              const found = await readerGet(deeper);
              reads++;
              if (found.status !== 200) problems.push(`${key} links ${deeper}: ${found.status}`);
            }
          }
        }
      }
    })();
    for (let i = 0; i < 6; i++) {
      site.clock.advance(60_000);
      // A new component: the index links its page, which is rendered as a follow-up a moment later.
      const component = await run(ctx, createComponent, { name: `Region ${i}` });
      const incident = await openIncidentNow(ctx, {
        name: `Region ${i} is slow`,
        components: { [component.id]: "degraded_performance" },
      });
      if (i % 2 === 1) await run(ctx, deleteIncident, { id: incident.id });
      if (i === 3) await renderer.renderAll();
      await jobs.settled();
    }
    await jobs.stop();
    publishing = false;
    await reader;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(50);
    const index = (await s3.get(`${PREFIX}index.html`)).body;
    expect(index).toContain("Region 4 is slow");
    expect(index).toContain("Region 5");
    // The index linking a new component's page waited for that page: held back, not published dangling.
    expect(published.mock.calls.some(([line]) => /[1-9]\d* held back/.test(String(line)))).toBe(true);
    published.mockRestore();
  });

  it("a failing hook is called again with the next publish, the paths it missed included", async () => {
    const ctx = contextFor(site.db, site.clock);
    const jobs = startRenderJobs(site.db, site.clock, renderer);
    hook.answers.push(503);
    const before = hook.calls.length;
    site.clock.advance(60_000);
    await postUpdateNow(ctx, site.ids.openIncident, { body: "First of two." });
    await jobs.settled();
    await waitFor(() => hook.calls.length > before, "the failing call");
    const missed = hook.calls[before]?.paths ?? [];
    expect(missed).toContain(`/incidents/${site.ids.openIncident}/`);
    const component = await run(ctx, createComponent, { name: "Search" });
    await jobs.settled();
    await jobs.stop();
    await waitFor(() => hook.calls.length > before + 1, "the next call");
    const next = hook.calls.slice(before + 1).flatMap((call) => call.paths);
    expect(next).toEqual(expect.arrayContaining([...missed, `/components/${component.id}/`]));
  });
});
