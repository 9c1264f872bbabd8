import { spawnSync } from "node:child_process";
import { readdir, readFile, realpath, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
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
    const all = await files(rendered);
    // The renderer's compressed copies (for the server) and the static hosts' `_headers` (written from the
    // header policy, core/public/site-headers.ts) are not pages of the site itself.
    const renderedFiles = all.filter((file) => !/\.(br|gz)$/.test(file) && file !== "_headers");
    expect(renderedFiles.length).toBeGreaterThan(40);
    expect(await files(staticDir)).toEqual(renderedFiles);
    const different: string[] = [];
    for (const file of renderedFiles) {
      const [a, b] = await Promise.all([readFile(join(rendered, file)), readFile(join(staticDir, file))]);
      if (!a.equals(b)) different.push(file);
    }
    expect(different).toEqual([]);
  });

  it("writes a brotli and a gzip copy of every text file, each decoding to the file", async () => {
    const rendered = await realpath(currentSiteDir(site.dataDir));
    const all = new Set(await files(rendered));
    const text = [...all].filter((file) => /\.(html|css|json|rss|atom|ics|svg|txt|xml|js)$/.test(file));
    expect(text.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const file of text) {
      const original = await readFile(join(rendered, file));
      if (
        !all.has(`${file}.br`) ||
        !brotliDecompressSync(await readFile(join(rendered, `${file}.br`))).equals(original)
      )
        wrong.push(`${file}.br`);
      if (!all.has(`${file}.gz`) || !gunzipSync(await readFile(join(rendered, `${file}.gz`))).equals(original))
        wrong.push(`${file}.gz`);
    }
    expect(wrong).toEqual([]);
  });
});
