import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { createDb, type Db } from "../../db/client.ts";
import { migrateDb } from "../../server/migrate.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * core/ and db/ must run in workerd with web-standard APIs only. Every module of both is bundled the way
 * wrangler bundles a worker (esbuild, browser platform, workerd conditions) but with no Node
 * compatibility: any import of a Node built-in, ours or a dependency's, fails the build. The bundle then
 * runs in real workerd without `nodejs_compat`.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function runtimeModules(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of ["core", "db"]) {
    for (const entry of await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) files.push(join(entry.parentPath, entry.name));
    }
  }
  return files.sort();
}

/** What the bundler could not resolve: with no Node compatibility, that is every Node built-in imported. */
type Unresolved = { importer: string; message: string };

function unresolvedImports(error: unknown): Unresolved[] {
  if (!(error instanceof Error) || !("errors" in error) || !Array.isArray(error.errors)) throw error;
  return error.errors.map((e: { text: string; location: { file: string } | null }) => ({
    importer: e.location?.file ?? "",
    message: e.text,
  }));
}

describe("core/ and db/ in workerd", () => {
  let dataDir = "";
  let sqld: Sqld | null = null;
  let db: Db | null = null;
  let bundle = "";
  let modules: string[] = [];
  const unresolved: Unresolved[] = [];

  beforeAll(async () => {
    modules = await runtimeModules();
    const entry = [
      ...modules.map((file, i) => `export * as module${i} from ${JSON.stringify(file)};`),
      `export { default } from ${JSON.stringify(join(ROOT, "test/edge/runtime-worker.ts"))};`,
    ].join("\n");
    const built = await build({
      stdin: { contents: entry, loader: "ts", resolveDir: ROOT, sourcefile: "runtime-entry.ts" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      target: "es2023",
      logLevel: "silent",
    }).catch((error: unknown) => {
      unresolved.push(...unresolvedImports(error));
      return null;
    });
    bundle = built?.outputFiles[0]?.text ?? "";

    dataDir = await mkdtemp(join(tmpdir(), "herald-runtime-"));
    sqld = await startSqld(dataDir);
    db = createDb({ url: sqld.url });
    await migrateDb(db, join(ROOT, "db/migrations"));
  });

  afterAll(async () => {
    db?.$client.close();
    await sqld?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("every module of core/ and db/ bundles for workerd without a Node built-in", () => {
    expect(modules.length).toBeGreaterThan(40);
    expect(unresolved).toEqual([]);
    expect(bundle).not.toMatch(
      /\b(require\(|from |import\()["'](node:|(fs|path|crypto|stream|url|os|child_process|net)["'])/,
    );
  });

  it("runs in workerd without Node compatibility: an action, the page, the JSON, the feeds and the calendar", async () => {
    if (!sqld) throw new Error("no sqld");
    if (!bundle) throw new Error("core/ and db/ did not bundle (see the test above)");
    const entrypoint = join(dataDir, "runtime-worker.mjs");
    await writeFile(entrypoint, bundle);
    process.env.WRANGLER_SEND_METRICS = "false";
    process.env.WRANGLER_SEND_ERROR_REPORTS = "false";
    // No compatibility flags: in particular no `nodejs_compat`, so nothing of Node is there to lean on.
    const worker = await unstable_startWorker({
      name: "herald-runtime",
      entrypoint,
      compatibilityDate: "2026-11-01",
      compatibilityFlags: [],
      build: { bundle: false },
      bindings: { DATABASE_URL: { type: "plain_text", value: sqld.url } },
      dev: {
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        watch: false,
        persist: join(dataDir, "wrangler-state"),
        logLevel: "warn",
      },
    });
    try {
      await worker.ready;
      const base = (await worker.url).toString().replace(/\/$/, "");
      const response = await fetch(`${base}/?component=Edge%20%26%20%3Cwork%3E`);
      const text = await response.text();
      expect(response.status, text).toBe(200);
      const body = JSON.parse(text) as Record<string, string>;
      expect(body.indexIndicator).toBe("critical");
      expect(JSON.parse(body.summary ?? "{}").status.indicator).toBe("critical");
      for (const feed of [body.rss, body.atom, body.componentRss]) {
        expect(XMLValidator.validate(feed ?? "")).toBe(true);
      }
      expect(body.componentRss).toContain("Edge &amp; &lt;work&gt; status history");
      expect(body.calendar).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
      expect(body.markdown).toContain("<strong>bold</strong>");
      expect(body.markdown).not.toContain("<script>");
      expect(body.markdown).not.toContain("javascript:");
      expect(body.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await worker.dispose();
    }
  });
});
