import { readFile } from "node:fs/promises";
import type { InStatement, InValue } from "@libsql/client";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { run } from "../core/actions/run.ts";
import { createComponent } from "../core/components/create-component.ts";
import { rebuildHistoryMonths } from "../core/incidents/history-months.ts";
import { newId } from "../core/model/ids.ts";
import type { ComponentStatus } from "../core/model/statuses.ts";
import { ensurePage } from "../core/page/get-page.ts";
import { renderMarkdown } from "../core/text/markdown.ts";
import type { Db } from "../db/client.ts";
import { componentStatusChanges, incidents, incidentUpdates, page, updateComponents } from "../db/schema.ts";

const HOUR = 3_600_000;
const CLOSED_FLOW = ["investigating", "identified", "monitoring", "monitoring", "resolved"] as const;
const OPEN_FLOW = ["investigating", "identified", "identified", "monitoring", "monitoring"] as const;
const OUTAGES: ComponentStatus[] = ["degraded_performance", "partial_outage", "major_outage"];
/**
 * The seeded page's public URL: benches start Herald with it as PUBLIC_URL, since another one queues a
 * second full render right after the start-up one (and the bench would measure that).
 */
export const SEED_PUBLIC_URL = "http://localhost";

/**
 * Seeds a page with `count` incidents × 5 updates spread over the past three years, the newest `open`
 * of them still open. Every update lies in the past (an update in the future would outrank the ones the
 * bench posts). Components come through the real actions; the bulk history is inserted in batches
 * (seeding 500,000 updates through the API would measure the seeding, not the page), then the uptime
 * rollups and the history months' counts are rebuilt from it, as existing databases get them.
 */
export async function seedHistory(
  db: Db,
  options: { count: number; open: number; now: Date },
): Promise<{ openIds: string[] }> {
  const clock = { now: () => new Date(options.now.getTime() - 3 * 365 * 24 * HOUR - 30 * 24 * HOUR) };
  const ctx = { db, clock, actor: SYSTEM_ACTOR };
  await ensurePage(db, clock, { name: "Bench Status", url: SEED_PUBLIC_URL });
  const components = [];
  for (let i = 0; i < 10; i++) components.push(await run(ctx, createComponent, { name: `Component ${i + 1}` }));

  const span = 3 * 365 * 24 * HOUR;
  // The newest incident's last update (4 × 20 min after it began) lies at least 40 minutes before `now`.
  const end = options.now.getTime() - 2 * HOUR;
  const bodies = [
    "We are investigating **elevated error rates** on the API. Some requests fail with `503`.",
    "The issue has been identified: a failed storage volume. We are failing over.\n\n- Reads: recovering\n- Writes: failing",
    "A fix has been implemented and we are [monitoring](https://example.com/runbook) the results.",
    "Error rates are back to normal for most customers; a few regions still see retries.",
    "This incident has been resolved. We will publish a post-incident review within five business days.",
  ].map((md) => ({ md, html: renderMarkdown(md) }));
  const openIds: string[] = [];
  const CHUNK = 2_000;
  // A throwaway database: no fsync per batch (on a busy disk that was most of the seeding time).
  if (db.$client.protocol === "file") await db.$client.execute("PRAGMA synchronous = OFF"); // sqld refuses it
  for (let start = 0; start < options.count; start += CHUNK) {
    const incidentRows: (typeof incidents.$inferInsert)[] = [];
    const updateRows: (typeof incidentUpdates.$inferInsert)[] = [];
    const changeRows: (typeof updateComponents.$inferInsert)[] = [];
    const statusRows: (typeof componentStatusChanges.$inferInsert)[] = [];
    for (let i = start; i < Math.min(start + CHUNK, options.count); i++) {
      const isOpen = i >= options.count - options.open;
      const flow = isOpen ? OPEN_FLOW : CLOSED_FLOW;
      const began = end - span + Math.floor((span * i) / options.count);
      const at = (step: number) => new Date(began + step * 20 * 60_000).toISOString();
      const id = newId();
      if (isOpen) openIds.push(id);
      const component = components[i % components.length];
      if (!component) throw new Error("no components");
      const outage = OUTAGES[i % OUTAGES.length] ?? "major_outage";
      incidentRows.push({
        id,
        kind: "incident" as const,
        name: `Incident ${i + 1}: ${component.name} ${outage.replace("_", " ")}`,
        status: flow[4],
        impact: outage === "major_outage" ? "critical" : outage === "partial_outage" ? "major" : "minor",
        impactOverride: null,
        createdAt: at(0),
        updatedAt: at(4),
        startedAt: at(0),
        monitoringAt: at(2),
        resolvedAt: isOpen ? null : at(4),
        scheduledFor: null,
        scheduledUntil: null,
      });
      flow.forEach((status, step) => {
        const updateId = newId();
        const body = bodies[step] ?? bodies[0];
        if (!body) return;
        updateRows.push({
          id: updateId,
          incidentId: id,
          status,
          bodyMd: body.md,
          bodyHtml: body.html,
          displayAt: at(step),
          createdAt: at(step),
          updatedAt: at(step),
          deliverNotifications: true,
          createdBy: "bench",
          publishAt: at(step),
          publishedAt: at(step),
        });
        const change: [ComponentStatus, ComponentStatus] | null =
          step === 0 ? ["operational", outage] : step === 4 && !isOpen ? [outage, "operational"] : null;
        if (change) {
          const [oldStatus, newStatus] = change;
          changeRows.push({
            updateId,
            incidentId: id,
            componentId: component.id,
            componentName: component.name,
            oldStatus,
            newStatus,
          });
          statusRows.push({
            id: newId(),
            componentId: component.id,
            oldStatus,
            newStatus,
            at: at(step),
            incidentId: id,
            updateId,
          });
        }
      });
    }
    await db.$client.batch(
      [
        ...insertStatements(incidents, incidentRows),
        ...insertStatements(incidentUpdates, updateRows),
        ...insertStatements(updateComponents, changeRows),
        ...insertStatements(componentStatusChanges, statusRows),
      ],
      "write",
    );
  }
  await rebuildUptimeRollups(db);
  await rebuildHistoryMonths(db);
  // As a render after the last change would see it: uptime is computed as of the page's `updated_at`.
  await db.update(page).set({ updatedAt: options.now.toISOString() });
  if (db.$client.protocol === "file") await db.$client.execute("PRAGMA synchronous = FULL");
  return { openIds };
}

/**
 * Multi-row INSERTs of typed rows, each within SQLite's limit of bound values. Raw SQL: building them
 * through drizzle's query builder took longer than SQLite took to insert them.
 */
export function insertStatements<T extends SQLiteTable>(table: T, rows: T["$inferInsert"][]): InStatement[] {
  const fields = Object.entries(getTableColumns(table)).filter(([key]) => rows.some((r) => key in r));
  if (fields.length === 0) return [];
  const perStatement = Math.floor(32_000 / fields.length);
  const values = `(${fields.map(() => "?").join(", ")})`;
  const statements: InStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    statements.push({
      sql: `INSERT INTO ${getTableName(table)} (${fields.map(([, c]) => c.name).join(", ")}) VALUES ${chunk.map(() => values).join(", ")}`,
      args: chunk.flatMap((row: Record<string, unknown>) => fields.map(([key]) => toArg(row[key]))),
    });
  }
  return statements;
}

function toArg(value: unknown): InValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  throw new Error(`cannot seed ${typeof value}`);
}

const BACKFILL = new URL("../db/migrations/0005_uptime_rollups_backfill.sql", import.meta.url);

/** Rebuilds every component's daily uptime rollups from the status history (the backfill migration). */
export async function rebuildUptimeRollups(db: Db): Promise<void> {
  const statements = (await readFile(BACKFILL, "utf8")).split("--> statement-breakpoint");
  await db.$client.batch(statements, "write");
}
