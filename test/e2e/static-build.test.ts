import { spawnSync } from "node:child_process";
import { readdir, readFile, realpath, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentSiteDir } from "../../jobs/render/index.ts";
import { type RenderedSite, renderRealisticSite } from "../helpers/rendered-site.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

let site: RenderedSite;
let staticDir: string;

beforeAll(async () => {
  site = await renderRealisticSite();
  staticDir = join(site.dir, "static-build");
  const build = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/astro/bin/astro.mjs"), "build", "--root", "site", "--outDir", staticDir, "--silent"],
    {
      cwd: ROOT,
      env: { ...process.env, HERALD_STATIC_BUILD: "1", DATABASE_URL: site.databaseUrl, ASTRO_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    },
  );
  if (build.status !== 0) throw new Error(`astro build failed:\n${build.stdout}\n${build.stderr}`);
}, 120_000);
afterAll(async () => {
  await rm(staticDir, { recursive: true, force: true });
  await site?.close();
});

describe("the content renderer against a plain astro build", () => {
  it("writes byte-for-byte the same site as a static astro build of the same data", async () => {
    const rendered = await realpath(currentSiteDir(site.dataDir));
    const renderedFiles = await files(rendered);
    expect(renderedFiles.length).toBeGreaterThan(40);
    expect(await files(staticDir)).toEqual(renderedFiles);
    const different: string[] = [];
    for (const file of renderedFiles) {
      const [a, b] = await Promise.all([readFile(join(rendered, file)), readFile(join(staticDir, file))]);
      if (!a.equals(b)) different.push(file);
    }
    expect(different).toEqual([]);
  });
});
