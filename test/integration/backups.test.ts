import { spawn, spawnSync } from "node:child_process";
import { readdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { run } from "../../core/actions/run.ts";
import { snapshotChecksums } from "../../core/backups/checksum.ts";
import { parseBackupJson, toBackupJson } from "../../core/backups/json-format.ts";
import type { BackupView } from "../../core/backups/records.ts";
import { readSnapshot, type Snapshot } from "../../core/backups/snapshot.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { seedDemoIfEmpty } from "../../core/setup/seed-demo.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { createDb } from "../../db/client.ts";
import { runBackupOnThread } from "../../jobs/backup-thread.ts";
import {
  type BackupDeps,
  type BackupLog,
  backupFormatFor,
  backupIfDue,
  restoreBackupFile,
  takeBackup,
  verifyBackup,
  verifyBackupFile,
  writeBackup,
} from "../../jobs/backups.ts";
import { migrateDb } from "../../server/migrate.ts";
import { MIGRATIONS_DIR } from "../../server/paths.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";
import { contextFor, createTestDb, type TestDb } from "../helpers/database.ts";
import { startSqld } from "../helpers/sqld.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let api: TestApi;
let others: TestDb[];
let lines: { level: "info" | "error"; message: string }[];
const log: BackupLog = {
  info: (message) => lines.push({ level: "info", message }),
  error: (message) => lines.push({ level: "error", message }),
};

const deps = (): BackupDeps => ({
  db: api.db,
  databaseUrl: api.url,
  clock: api.clock,
  migrationsDir: MIGRATIONS_DIR,
  log,
});

async function emptyDatabase(): Promise<TestDb> {
  const target = await createTestDb();
  others.push(target);
  return target;
}

/** A page with components, incidents with updates, a postmortem, a maintenance, tokens and audit rows. */
async function seed(): Promise<void> {
  const post = async <T>(path: string, json: unknown, method = "POST") => {
    const response = await api.request<T>(method, path, { json, as: "admin" });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    return response.body;
  };
  const platform = await post<V2Component>("/api/components", {
    name: "Platform",
    description: "Everything",
    group: true,
  });
  const apiComponent = await post<V2Component>("/api/components", { name: "API", group_id: platform.id });
  const web = await post<V2Component>("/api/components", { name: "Web «app» 🚀", description: "الواجهة" });
  const outage = await post<AdminIncident>("/api/incidents", {
    name: "Elevated API errors",
    body: "We are **looking** into it.",
    components: { [apiComponent.id]: "major_outage", [web.id]: "degraded_performance" },
  });
  api.clock.advance(10 * 60_000);
  await post(`/api/incidents/${outage.id}/updates`, { status: "monitoring", body: "A fix is out." });
  api.clock.advance(10 * 60_000);
  await post(`/api/incidents/${outage.id}/updates`, { status: "resolved", body: "All good." });
  await post(
    `/api/incidents/${outage.id}/postmortem`,
    { body: "## What happened\n\nA bad deploy.", publish: true },
    "PUT",
  );
  await post("/api/incidents", {
    kind: "maintenance",
    name: "Database upgrade",
    status: "scheduled",
    scheduled_for: "2026-12-01T02:00:00.000Z",
    scheduled_until: "2026-12-01T03:00:00.000Z",
  });
  await run(contextFor(api.db, api.clock), createToken, { name: "on-call bot", role: "commander" });
}

const rowsOf = (snapshot: Snapshot, table: string) => snapshot.tables.find((t) => t.name === table)?.rows ?? [];

beforeEach(async () => {
  api = await createTestApi();
  others = [];
  lines = [];
});
afterEach(async () => {
  await api.cleanup();
  for (const other of others) await other.cleanup();
});

describe("backup and restore", () => {
  it.each(["sqlite", "json"] as const)(
    "a %s backup restores into an empty database with every row of every table",
    async (format) => {
      await seed();
      const source = await readSnapshot(api.db.$client);
      for (const table of [
        "components",
        "incidents",
        "incident_updates",
        "update_components",
        "api_tokens",
        "audit_log",
      ]) {
        expect(rowsOf(source, table).length, table).toBeGreaterThan(0);
      }
      const file = join(api.dir, `backup.${format === "sqlite" ? "db" : "json"}`);
      const written = await writeBackup(deps(), file, format);
      expect(written.format).toBe(format);
      if (format === "sqlite") expect((await readFile(file)).subarray(0, 15).toString()).toBe("SQLite format 3");
      else expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ format: "herald-backup", version: 1 });

      const target = await emptyDatabase();
      const restored = await restoreBackupFile(target.db, file);
      expect(restored.rows).toBe(written.rows);
      expect(await readSnapshot(target.db.$client)).toEqual(source);
      expect(await snapshotChecksums(await readSnapshot(target.db.$client))).toEqual(written.tables);

      // The restored database is a working Herald: the old tokens sign in and the incident is there.
      const app = createApp({ db: target.db, clock: api.clock, log: () => {} });
      const listed = await app.request("/api/incidents", { headers: { Authorization: `Bearer ${api.tokens.viewer}` } });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as AdminIncident[]).map((i) => i.name)).toContain("Elevated API errors");
      const fk = await target.db.$client.execute("PRAGMA foreign_key_check");
      expect(fk.rows).toEqual([]);
    },
  );

  it("a JSON backup taken while another process writes holds every table as of one moment", async () => {
    // The writer adds an audit row and a rate-limit row in each batch: a consistent snapshot has as many of each.
    // Their ids carry a prefix no seeded id has (newId is lowercase letters and digits only).
    const WRITER_ID = "writer-";
    const writer = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { createClient } from "@libsql/client";
        // Opening a WAL database while other connections come and go can fail transiently (SQLITE_CANTOPEN
        // on a loaded machine): what is under test is the backup's snapshot, so the writer retries its open.
        let c;
        for (let tries = 0; !c; tries++) {
          try { c = createClient({ url: ${JSON.stringify(api.url)}, timeout: 30000 }); }
          catch (error) { if (tries >= 50) throw error; await new Promise((r) => setTimeout(r, 100)); }
        }
        const end = Date.now() + 2500;
        for (let n = 0; Date.now() < end; n++)
          await c.batch([
            { sql: "INSERT INTO audit_log VALUES (?, '2026-11-26T10:00:00.000Z', 'w', 'x', 'x', 'x', '{}')", args: [${JSON.stringify(WRITER_ID)} + n] },
            { sql: "INSERT INTO rate_limits VALUES (?, '2026-11-26T10:00:00.000Z', 1)", args: [${JSON.stringify(WRITER_ID)} + n] },
          ], "write");
        c.close();`,
      ],
      { cwd: ROOT, stdio: "inherit" },
    );
    const exited = new Promise((resolve) => writer.once("exit", resolve));
    const written = (snapshot: Snapshot, table: string) =>
      rowsOf(snapshot, table).filter((row) => String(row[0]).startsWith(WRITER_ID)).length;
    const file = join(api.dir, "during-writes.json");
    let snapshots = 0;
    let sawWrites = false;
    while (writer.exitCode === null) {
      await writeBackup(deps(), file, "json");
      const { snapshot } = await parseBackupJson(await readFile(file, "utf8"));
      expect(written(snapshot, "audit_log")).toBe(written(snapshot, "rate_limits"));
      sawWrites ||= written(snapshot, "audit_log") > 0;
      snapshots++;
    }
    await exited;
    expect(writer.exitCode).toBe(0);
    expect(sawWrites).toBe(true);
    expect(snapshots).toBeGreaterThan(2);
  });

  it("restore refuses a database that holds data, and --force replaces its content", async () => {
    await seed();
    const file = join(api.dir, "backup.json");
    await writeBackup(deps(), file, "json");
    const target = await emptyDatabase();
    await ensurePage(target.db, api.clock, { name: "Target", url: "http://target.example" });
    await seedDemoIfEmpty(contextFor(target.db, api.clock));
    const before = await readSnapshot(target.db.$client);

    await expect(restoreBackupFile(target.db, file)).rejects.toThrow(/not empty .*--force/);
    expect(await readSnapshot(target.db.$client)).toEqual(before);

    await restoreBackupFile(target.db, file, { force: true });
    expect(await readSnapshot(target.db.$client)).toEqual(await readSnapshot(api.db.$client));
  });

  it("a backup whose rows break a foreign key restores nothing", async () => {
    await seed();
    const snapshot = await readSnapshot(api.db.$client);
    const orphaned: Snapshot = {
      ...snapshot,
      tables: snapshot.tables.map((t) => (t.name === "incidents" ? { ...t, rows: [] } : t)),
    };
    const file = join(api.dir, "orphans.json");
    await writeFile(file, toBackupJson(orphaned, await snapshotChecksums(orphaned), api.clock.now().toISOString()));
    const target = await emptyDatabase();
    await expect(restoreBackupFile(target.db, file)).rejects.toThrow(/foreign key/);
    expect(rowsOf(await readSnapshot(target.db.$client), "components")).toEqual([]);
  });

  it("a backup from another schema version is refused with the versions named", async () => {
    const snapshot = await readSnapshot(api.db.$client);
    const older = { ...snapshot, schema: { ...snapshot.schema, migrations: snapshot.schema.migrations - 1 } };
    const file = join(api.dir, "older.json");
    await writeFile(file, toBackupJson(older, await snapshotChecksums(older), api.clock.now().toISOString()));
    const target = await emptyDatabase();
    await expect(restoreBackupFile(target.db, file)).rejects.toThrow(/schema version/);
  });
});

describe("a libSQL server database (sqld, as on Turso)", () => {
  it("gets a JSON backup by default, which restores there and from there row for row", async () => {
    await seed();
    const source = await readSnapshot(api.db.$client);
    const file = join(api.dir, "from-file.json");
    await writeBackup(deps(), file, "json");

    const sqld = await startSqld(api.dir);
    const remote = createDb({ url: sqld.url });
    try {
      expect(backupFormatFor(undefined, sqld.url)).toBe("json");
      await migrateDb(remote, MIGRATIONS_DIR);
      await restoreBackupFile(remote, file);
      expect(await readSnapshot(remote.$client)).toEqual(source);
      await expect(restoreBackupFile(remote, file)).rejects.toThrow(/not empty/);

      const remoteDeps = { ...deps(), db: remote, databaseUrl: sqld.url };
      const fromRemote = join(api.dir, "from-sqld.json");
      const written = await writeBackup(remoteDeps, fromRemote, "json");
      expect(await verifyBackupFile(fromRemote, written.tables, MIGRATIONS_DIR)).toBeNull();
      await expect(writeBackup(remoteDeps, join(api.dir, "x.db"), "sqlite")).rejects.toThrow(/--format json/);

      const target = await emptyDatabase();
      await restoreBackupFile(target.db, fromRemote);
      expect(await readSnapshot(target.db.$client)).toEqual(source);
    } finally {
      remote.$client.close();
      await sqld.stop();
    }
  });
});

describe("verified backups", () => {
  it.each([
    ["a truncated sqlite", "sqlite", async (path: string) => truncate(path, 4096)],
    ["a truncated json", "json", async (path: string) => truncate(path, 2000)],
    [
      "an edited json",
      "json",
      async (path: string) =>
        writeFile(path, (await readFile(path, "utf8")).replace("Elevated API errors", "Elevated API errorz")),
    ],
    [
      "an altered sqlite",
      "sqlite",
      async (path: string) => {
        const file = createClient({ url: `file:${path}` });
        await file.execute("UPDATE incidents SET name = 'Elevated API errorz' WHERE name = 'Elevated API errors'");
        file.close();
      },
    ],
  ] as const)("%s backup fails verification loudly and GET /api/backups shows it failed", async (_, format, damage) => {
    await seed();
    const taken = await takeBackup(deps(), join(api.dir, "backups"), format);
    expect(taken.verification).toBe("pending");
    await damage(taken.path);
    const verified = await verifyBackup(deps(), taken);

    expect(verified.verification).toBe("failed");
    const errors = lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("BACKUP VERIFICATION FAILED");
    expect(errors[0]?.message).toContain(taken.path);
    const listed = await api.request<BackupView[]>("GET", "/api/backups", { as: "admin" });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).toMatchObject({ id: taken.id, format, verification: "failed" });
    expect(listed.body[0]?.error).toBe(verified.error);
    expect(verified.error).toMatch(/cannot be (read|restored)|differs/);
  });

  it("the schedule takes a backup when one is due, verifies it and keeps the newest N verified files", async () => {
    await seed();
    const dir = join(api.dir, "backups");
    const schedule = { dir, everyMs: 60 * 60_000, keep: 2 };
    const first = await backupIfDue(deps(), schedule);
    expect(first?.verification).toBe("verified");
    expect(await backupIfDue(deps(), schedule)).toBeNull();
    for (let i = 0; i < 3; i++) {
      api.clock.advance(60 * 60_000);
      await api.request("POST", "/api/components", { json: { name: `Component ${i}` }, as: "admin" });
      expect((await backupIfDue(deps(), schedule))?.verification).toBe("verified");
    }
    const listed = await api.request<BackupView[]>("GET", "/api/backups", { as: "admin" });
    expect(listed.body.map((b) => b.verification)).toEqual(["verified", "verified"]);
    expect((await readdir(dir)).sort()).toEqual(listed.body.map((b) => b.path.slice(dir.length + 1)).sort());
    expect(listed.body[0]?.tables?.components?.rows).toBe(6);
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("a scheduled backup on its own thread (dist/backup-worker.mjs) leaves this one free to serve", async () => {
    await seed();
    // Enough history that VACUUM INTO, the integrity check and the verifying restore take a while.
    await api.db.$client.execute(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
       INSERT INTO audit_log (id, at, actor, action, target_type, target_id, details)
       SELECT 'filler' || i, '2026-11-01T00:00:00.000Z', 'bench', 'incident.update', 'incident', 'x' || i,
              '{"body":"' || hex(randomblob(64)) || '"}' FROM n`,
    );
    const schedule = { dir: join(api.dir, "backups"), everyMs: 60 * 60_000, keep: 2 };
    let last = performance.now();
    let longestStall = 0;
    const beat = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 2);
    const started = performance.now();
    let record: Awaited<ReturnType<typeof runBackupOnThread>>;
    try {
      record = await runBackupOnThread(join(ROOT, "dist/backup-worker.mjs"), {
        databaseUrl: api.url,
        databaseAuthToken: undefined,
        migrationsDir: MIGRATIONS_DIR,
        schedule,
      });
    } finally {
      clearInterval(beat);
    }
    const took = performance.now() - started;
    expect(record.verification).toBe("verified");
    const listed = await api.request<BackupView[]>("GET", "/api/backups", { as: "admin" });
    expect(listed.body.map((b) => [b.id, b.verification])).toEqual([[record.id, "verified"]]);
    expect(listed.body[0]?.tables?.audit_log?.rows).toBeGreaterThan(60_000);
    // On this thread the backup would be one stall as long as itself; on its own, this thread kept ticking.
    expect(longestStall).toBeLessThan(Math.max(50, took / 4));
  });

  it("only an admin can list backups, and the route is in the OpenAPI document", async () => {
    expect((await api.request("GET", "/api/backups", { as: "commander" })).status).toBe(403);
    const openApi = await api.request<{ paths: Record<string, unknown> }>("GET", "/api/openapi.json", { as: null });
    expect(Object.keys(openApi.body.paths)).toContain("/api/backups");
  });
});

describe("herald backup and herald restore", () => {
  const herald = (args: string[], databaseUrl: string) =>
    spawnSync(process.execPath, ["dist/herald.mjs", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, HERALD_DATA: api.dir },
      encoding: "utf8",
    });

  it("back up a database in both formats, restore each into an empty one, refuse a full one unless --force", async () => {
    await seed();
    const expected = await readSnapshot(api.db.$client);
    for (const file of ["cli-backup.db", "cli-backup.json"]) {
      const path = join(api.dir, file);
      const backedUp = herald(["backup", path], api.url);
      expect(backedUp.status, backedUp.stderr).toBe(0);
      expect(backedUp.stdout).toMatch(/Verified/);

      const targetUrl = `file:${join(api.dir, `restored-${file}.sqlite`)}`;
      const restored = herald(["restore", path], targetUrl);
      expect(restored.status, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/^Restored \d+ rows in \d+ tables/);
      const target = createDb({ url: targetUrl });
      expect(await readSnapshot(target.$client)).toEqual(expected);
      target.$client.close();

      const again = herald(["restore", path], targetUrl);
      // 2: Herald refused (the CLI's exit codes: 1 usage, 2 refused, 3 unreachable).
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/not empty.*--force/);
      const forced = herald(["restore", path, "--force"], targetUrl);
      expect(forced.status, forced.stderr).toBe(0);
    }
    const json = await parseBackupJson(await readFile(join(api.dir, "cli-backup.json"), "utf8"));
    expect(json.snapshot.schema.migrations).toBeGreaterThan(0);

    const missing = herald(["restore", join(api.dir, "nope.json")], api.url);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
  }, 120_000);
});
