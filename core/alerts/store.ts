import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { alerts } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import type { IncomingAlert } from "./incoming.ts";

/** Rows per upsert statement: 14 values each stays far below SQLite's bound on parameters. */
const CHUNK = 500;

/** What an alert row holds that a delivery can change; equal fields mean a repeat that changes nothing. */
type StoredAlert = Pick<
  typeof alerts.$inferSelect,
  "fingerprint" | "status" | "severity" | "summary" | "labels" | "annotations" | "url"
>;

/** The alerts of a source already stored under these fingerprints. */
export async function storedAlerts(
  db: Db,
  sourceId: string,
  fingerprints: string[],
): Promise<Map<string, StoredAlert>> {
  const found = new Map<string, StoredAlert>();
  for (let start = 0; start < fingerprints.length; start += CHUNK) {
    const rows = await db
      .select({
        fingerprint: alerts.fingerprint,
        status: alerts.status,
        severity: alerts.severity,
        summary: alerts.summary,
        labels: alerts.labels,
        annotations: alerts.annotations,
        url: alerts.url,
      })
      .from(alerts)
      .where(and(eq(alerts.sourceId, sourceId), inArray(alerts.fingerprint, fingerprints.slice(start, start + CHUNK))));
    for (const row of rows) found.set(row.fingerprint, row);
  }
  return found;
}

/** Whether storing `alert` changes what rules see: its state, severity or labels (text alone does not). */
export function changesAutomation(alert: IncomingAlert, stored: StoredAlert | undefined): boolean {
  if (!stored) return alert.status === "firing";
  return (
    stored.status !== alert.status ||
    stored.severity !== alert.severity ||
    JSON.stringify(stored.labels) !== JSON.stringify(alert.labels)
  );
}

/**
 * The upserts of a delivery's alerts, race-free (one `INSERT … ON CONFLICT DO UPDATE` per chunk, decided in
 * SQL from the row as it is at commit): a firing after a resolve starts a new episode (`firing_since` = now,
 * `resolved_at` cleared), a resolve of a firing alert sets `resolved_at`, and a repeat of what is stored
 * (same state, severity, summary, labels, annotations, link) changes nothing, not even `last_received_at`.
 */
export function alertUpsertStatements(db: Db, sourceId: string, incoming: IncomingAlert[], now: Date): Statement[] {
  const at = now.toISOString();
  const statements: Statement[] = [];
  for (let start = 0; start < incoming.length; start += CHUNK) {
    const rows = incoming.slice(start, start + CHUNK).map((alert) => ({
      id: newId(),
      sourceId,
      fingerprint: alert.fingerprint,
      status: alert.status,
      severity: alert.severity,
      summary: alert.summary,
      labels: alert.labels,
      annotations: alert.annotations,
      url: alert.url,
      startsAt: alert.startsAt,
      firingSince: alert.status === "firing" ? at : null,
      resolvedAt: alert.status === "resolved" ? at : null,
      firstReceivedAt: at,
      lastReceivedAt: at,
    }));
    statements.push(
      db
        .insert(alerts)
        .values(rows)
        .onConflictDoUpdate({
          target: [alerts.sourceId, alerts.fingerprint],
          set: {
            status: sql`excluded.status`,
            severity: sql`excluded.severity`,
            summary: sql`excluded.summary`,
            labels: sql`excluded.labels`,
            annotations: sql`excluded.annotations`,
            url: sql`excluded.url`,
            startsAt: sql`coalesce(excluded.starts_at, ${alerts.startsAt})`,
            firingSince: sql`CASE WHEN excluded.status = 'firing' AND (${alerts.status} = 'resolved' OR ${alerts.firingSince} IS NULL) THEN excluded.first_received_at ELSE ${alerts.firingSince} END`,
            resolvedAt: sql`CASE WHEN excluded.status = 'firing' THEN NULL WHEN ${alerts.status} = 'resolved' THEN ${alerts.resolvedAt} ELSE excluded.last_received_at END`,
            lastReceivedAt: sql`excluded.last_received_at`,
          },
          setWhere: sql`NOT (${alerts.status} IS excluded.status AND ${alerts.severity} IS excluded.severity AND ${alerts.summary} IS excluded.summary AND ${alerts.labels} IS excluded.labels AND ${alerts.annotations} IS excluded.annotations AND ${alerts.url} IS excluded.url)`,
        }),
    );
  }
  return statements;
}
