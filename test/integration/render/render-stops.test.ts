import { existsSync } from "node:fs";
import { readdir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedHistory } from "../../../bench/seed.ts";
import { createRenderer, createThreadRenderer, currentSiteDir, type Renderer } from "../../../jobs/render/index.ts";
import { createTestDb, type TestDb } from "../../helpers/database.ts";

/*
 * The fence inside a render: a runner that loses the render lease mid full render stops within a page,
 * and the release it was writing never goes live (jobs/render/hold.ts). On this thread and on the
 * render thread (`herald start`'s), where the hold's end crosses through shared memory.
 */

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const SITE_DIST = join(ROOT, "site", "dist");
const RENDER_WORKER = join(ROOT, "dist", "render-worker.mjs");
const INCIDENTS = 400;

let t: TestDb;
let renderer: Renderer | null = null;

beforeEach(async () => {
  t = await createTestDb();
  await seedHistory(t.db, { count: INCIDENTS, open: 0, now: new Date() });
});
afterEach(async () => {
  await renderer?.close();
  renderer = null;
  await t.cleanup();
});

/** Incident pages written so far into the releases other than `live`. */
async function incidentPagesBeside(dataDir: string, live: string): Promise<number> {
  const releases = join(dataDir, "releases");
  let pages = 0;
  for (const entry of await readdir(releases, { withFileTypes: true })) {
    const release = join(releases, entry.name);
    if (!entry.isDirectory() || release === live) continue;
    pages += (await readdir(join(release, "incidents")).catch(() => [])).length;
  }
  return pages;
}

const kinds = [
  { on: "this thread", make: (dataDir: string) => createRenderer({ db: t.db, dataDir, siteDist: SITE_DIST }) },
  {
    on: "the render thread",
    make: (dataDir: string) =>
      createThreadRenderer({
        workerFile: RENDER_WORKER,
        data: { databaseUrl: t.url, databaseAuthToken: undefined, dataDir, siteDist: SITE_DIST, build: undefined },
      }),
  },
];

describe("a render whose lease is lost", () => {
  for (const kind of kinds) {
    it(`stops on ${kind.on}, and the release it was writing never goes live`, async () => {
      expect(existsSync(RENDER_WORKER)).toBe(true);
      const dataDir = join(t.dir, "data");
      renderer = await kind.make(dataDir);
      await renderer.renderAll();
      const live = await realpath(currentSiteDir(dataDir));

      const hold = new AbortController();
      const rendering = renderer.renderAll(hold.signal);
      rendering.catch(() => {});
      const deadline = Date.now() + 30_000;
      while ((await incidentPagesBeside(dataDir, live)) < 20) {
        if (Date.now() > deadline) throw new Error("The second full render wrote no incident pages in 30 s.");
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      hold.abort();
      await expect(rendering).rejects.toThrow(/no longer holds the render lease/);

      expect(await realpath(currentSiteDir(dataDir))).toBe(live);
      // The stopped release is removed; the live one is all that is left.
      expect(await incidentPagesBeside(dataDir, live)).toBe(0);
      expect((await readdir(join(live, "incidents"))).length).toBe(INCIDENTS);
    }, 90_000);
  }

  it("a render asked for under a hold already lost does not start", async () => {
    const dataDir = join(t.dir, "data");
    renderer = await createRenderer({ db: t.db, dataDir, siteDist: SITE_DIST });
    await expect(renderer.renderAll(AbortSignal.abort())).rejects.toThrow(/no longer holds the render lease/);
    expect(existsSync(currentSiteDir(dataDir))).toBe(false);
  });
});
