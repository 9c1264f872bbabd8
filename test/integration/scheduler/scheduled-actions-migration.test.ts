import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { openIncident } from "../../../core/incidents/open-incident.ts";
import { readScheduledUpdates } from "../../../core/incidents/scheduled-updates.ts";
import { readScheduledOpenings } from "../../../core/incidents/stored-openings.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { createDb, type Db, prepareLocalDb } from "../../../db/client.ts";
import { components, incidents, incidentUpdates } from "../../../db/schema.ts";
import { migrateDb } from "../../../server/migrate.ts";
import { contextFor, manualClock, setupPage } from "../../helpers/database.ts";
import { minutesAfterT0, T0 } from "../../helpers/scheduler.ts";

const MIGRATIONS = join(import.meta.dirname, "../../../db/migrations");
const MOVE = "0017_scheduled_actions";

let dir: string;
let db: Db;
/** Columns later migrations add, which today's code reads: there while the old rows are written, gone before 0017. */
let laterColumns: { table: string; column: string; definition: string }[] = [];
/** Tables later migrations make, which today's page setup writes (the default checklist): likewise. */
const WRITTEN_AT_SETUP = ["checklist_items"];
let laterTables: { table: string; statement: string }[] = [];

async function tablesMadeAfter(journal: { entries: { tag: string }[] }, at: number) {
  const made: typeof laterTables = [];
  for (const entry of journal.entries.slice(at + 1)) {
    const text = await readFile(join(MIGRATIONS, `${entry.tag}.sql`), "utf8");
    for (const match of text.matchAll(/CREATE TABLE `(\w+)` \([^;]*?\n\);/g))
      if (WRITTEN_AT_SETUP.includes(match[1] ?? "")) made.push({ table: match[1] ?? "", statement: match[0] });
  }
  return made;
}

async function columnsAddedAfter(journal: { entries: { tag: string }[] }, at: number) {
  const added: typeof laterColumns = [];
  for (const entry of journal.entries.slice(at + 1)) {
    const text = await readFile(join(MIGRATIONS, `${entry.tag}.sql`), "utf8");
    for (const match of text.matchAll(/ALTER TABLE `(\w+)` ADD `(\w+)` ([^;]*);/g))
      added.push({ table: match[1] ?? "", column: match[2] ?? "", definition: match[3]?.replace(/-->.*$/, "") ?? "" });
  }
  return added;
}

/** A database migrated up to the migration before `MOVE`, as a Herald of that version left it. */
async function databaseBeforeTheMove(): Promise<Db> {
  dir = await mkdtemp(join(tmpdir(), "herald-migration-"));
  const folder = join(dir, "migrations");
  await cp(MIGRATIONS, folder, { recursive: true });
  const journalPath = join(folder, "meta/_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === MOVE);
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  laterColumns = await columnsAddedAfter(journal, at);
  laterTables = await tablesMadeAfter(journal, at);
  const url = `file:${join(dir, "herald.db")}`;
  const opened = createDb({ url });
  await prepareLocalDb(opened, url);
  await migrateDb(opened, folder);
  for (const { table, column, definition } of laterColumns)
    await opened.run(sql.raw(`ALTER TABLE \`${table}\` ADD \`${column}\` ${definition}`));
  for (const { statement } of laterTables) await opened.run(sql.raw(statement));
  return opened;
}

beforeEach(async () => {
  db = await databaseBeforeTheMove();
});
afterEach(async () => {
  db.$client.close();
  await rm(dir, { recursive: true, force: true });
});

describe("migration 0017 (one table of deferred runs)", () => {
  it("keeps a pending timed update (same id) and a scheduled opening, which the tick then publishes and opens as before", async () => {
    const clock = manualClock(T0);
    const ctx = contextFor(db, clock);
    await setupPage(db, clock);
    const database = await run(ctx, createComponent, { name: "Database" });
    const opened = await run(ctx, openIncident, {
      name: "Slow checkout",
      components: { [database.id]: "degraded_performance" },
    });
    if (opened.outcome !== "opened") throw new Error("expected an opened incident");
    const incidentId = opened.incident.id;

    // As the previous version stored them: an unpublished update row, and the raw opening request.
    await db.run(sql`INSERT INTO incident_updates (id, incident_id, status, body_md, body_html, display_at, created_at,
      updated_at, deliver_notifications, created_by, publish_at, published_at, next_update_in_minutes, scheduled_components)
      VALUES ('timedupdate1', ${incidentId}, 'resolved', 'The fix is out.', '<p>The fix is out.</p>', ${minutesAfterT0(30)},
      ${T0}, ${T0}, 1, 'alice', ${minutesAfterT0(30)}, NULL, NULL, ${JSON.stringify({ [database.id]: "operational" })})`);
    const request = { name: "Planned failover", status: "identified", body: "Failing over.", components: {} };
    await db.run(sql`INSERT INTO scheduled_openings (id, request, publish_at, created_at, updated_at, created_by, failure)
      VALUES ('opening00001', ${JSON.stringify(request)}, ${minutesAfterT0(45)}, ${T0}, ${T0}, 'bob', NULL)`);

    // A quiet one written later for the same time, and an opening that already failed.
    await db.run(sql`INSERT INTO incident_updates (id, incident_id, status, body_md, body_html, display_at, created_at,
      updated_at, deliver_notifications, created_by, publish_at, published_at, next_update_in_minutes, scheduled_components)
      VALUES ('timedupdate2', ${incidentId}, 'monitoring', 'Watching.', '<p>Watching.</p>', ${minutesAfterT0(60)},
      ${minutesAfterT0(1)}, ${minutesAfterT0(1)}, 0, 'alice', ${minutesAfterT0(60)}, NULL, 15, NULL)`);
    await db.run(sql`INSERT INTO scheduled_openings (id, request, publish_at, created_at, updated_at, created_by, failure)
      VALUES ('opening00002', ${JSON.stringify({ name: "" })}, ${minutesAfterT0(5)}, ${T0}, ${T0}, 'bob', 'No name.')`);

    for (const { table } of [...laterTables].reverse()) await db.run(sql.raw(`DROP TABLE \`${table}\``));
    for (const { table, column } of laterColumns) await db.run(sql.raw(`ALTER TABLE \`${table}\` DROP \`${column}\``));
    await migrateDb(db, MIGRATIONS);

    expect(await readScheduledUpdates(db)).toMatchObject([
      {
        id: "timedupdate1",
        incident_id: incidentId,
        status: "resolved",
        body: "The fix is out.",
        body_html: "<p>The fix is out.</p>",
        components: { [database.id]: "operational" },
        deliver_notifications: true,
        next_update_in_minutes: null,
        publish_at: minutesAfterT0(30),
        created_by: "alice",
      },
      {
        id: "timedupdate2",
        status: "monitoring",
        components: {},
        deliver_notifications: false,
        next_update_in_minutes: 15,
        publish_at: minutesAfterT0(60),
      },
    ]);
    expect(await readScheduledOpenings(db)).toMatchObject([
      { id: "opening00002", failure: "No name." },
      { id: "opening00001", name: "Planned failover", publish_at: minutesAfterT0(45), failure: null, request },
    ]);
    expect(await db.select().from(incidentUpdates).where(eq(incidentUpdates.id, "timedupdate1"))).toEqual([]);

    clock.set(minutesAfterT0(50));
    const result = await tick(ctx);
    expect(result.published).toEqual(["timedupdate1"]);
    expect(result.opened).toHaveLength(1);

    const [published] = await db.select().from(incidentUpdates).where(eq(incidentUpdates.id, "timedupdate1"));
    expect(published).toMatchObject({
      status: "resolved",
      createdBy: "alice",
      displayAt: minutesAfterT0(30),
      publishedAt: minutesAfterT0(50),
      scheduledComponents: null,
    });
    const [component] = await db.select().from(components).where(eq(components.id, database.id));
    expect(component?.status).toBe("operational");
    const [failover] = await db.select().from(incidents).where(eq(incidents.name, "Planned failover"));
    expect(failover).toMatchObject({ status: "identified", startedAt: minutesAfterT0(45) });
    expect((await readScheduledUpdates(db)).map((u) => u.id)).toEqual(["timedupdate2"]);
    expect((await readScheduledOpenings(db)).map((o) => o.id)).toEqual(["opening00002"]);
  });
});
