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
 * runs in real workerd without `nodejs_compat`. api/ (the app the Workers entry serves) is bundled the
 * same way; worker.test.ts runs it.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function runtimeModules(folders = ["core", "db"]): Promise<string[]> {
  const files: string[] = [];
  for (const folder of folders) {
    for (const entry of await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.tsx?$/.test(entry.name)) files.push(join(entry.parentPath, entry.name));
    }
  }
  return files.sort();
}

/** Bundles `files` as wrangler would for workerd, with no Node compatibility; what it could not resolve goes to `unresolved`. */
async function workerdBundle(
  files: string[],
  unresolved: Unresolved[],
  tail = "",
  external: string[] = [],
): Promise<string> {
  const entry = [...files.map((file, i) => `export * as module${i} from ${JSON.stringify(file)};`), tail].join("\n");
  const built = await build({
    stdin: { contents: entry, loader: "ts", resolveDir: ROOT, sourcefile: "runtime-entry.ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2023",
    external,
    logLevel: "silent",
  }).catch((error: unknown) => {
    unresolved.push(...unresolvedImports(error));
    return null;
  });
  return built?.outputFiles[0]?.text ?? "";
}

const NODE_IMPORT = /\b(require\(|from |import\()["'](node:|(fs|path|crypto|stream|url|os|child_process|net)["'])/;

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
    const worker = `export { default } from ${JSON.stringify(join(ROOT, "test/edge/runtime-worker.ts"))};`;
    bundle = await workerdBundle(modules, unresolved, worker);

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
    expect(bundle).not.toMatch(NODE_IMPORT);
  });

  it("every module of api/ (.ts and .tsx) bundles for workerd without a Node built-in", async () => {
    const files = await runtimeModules(["api"]);
    expect(files.filter((file) => file.endsWith(".tsx")).length).toBeGreaterThan(20);
    const apiUnresolved: Unresolved[] = [];
    const apiBundle = await workerdBundle(files, apiUnresolved);
    expect(apiUnresolved).toEqual([]);
    expect(apiBundle).not.toBe("");
    expect(apiBundle).not.toMatch(NODE_IMPORT);
  });

  it("the Workers entry leans on one Node API only, AsyncLocalStorage (workerd's nodejs_compat has it)", async () => {
    const entryUnresolved: Unresolved[] = [];
    const entryBundle = await workerdBundle([join(ROOT, "server/worker.ts")], entryUnresolved, "", [
      "node:async_hooks",
    ]);
    expect(entryUnresolved).toEqual([]);
    expect(entryBundle.replaceAll('from "node:async_hooks"', "")).not.toMatch(NODE_IMPORT);
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
      bindings: {
        DATABASE_URL: { type: "plain_text", value: sqld.url },
        HERALD_SECRET: { type: "plain_text", value: "edge-test-secret-of-at-least-32-characters" },
      },
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
