import { inArray, sql } from "drizzle-orm";
import type { Statement } from "../../../core/changes/commit.ts";
import { type WebhookOutcome, webhookOutcomesStatements } from "../../../core/notifications/webhook/health.ts";
import type { Db } from "../../../db/client.ts";
import { subscribers } from "../../../db/schema.ts";
import type { Outcome } from "./outcome.ts";

type OfKind<K extends Outcome["kind"]> = Extract<Outcome, { kind: K }>;

/**
 * Writes one turn's outcomes in one batch: the delivery rows (sent with the reply, retry at `next`,
 * failed, dropped), the events' counters, the mail subscribers' failure runs and quarantine, and the
 * webhooks' health (which may disable one and queue the notice to its owner).
 */
export async function recordOutcomes(db: Db, outcomes: Outcome[], now: Date, quarantineAfter: number): Promise<void> {
  const [first, ...rest] = [
    ...outcomeStatements(db, outcomes, now.toISOString(), quarantineAfter),
    ...(await webhookHealthStatements(db, outcomes, now)),
  ];
  if (first) await db.batch([first, ...rest]);
}

/** The webhooks' failure runs after this turn's attempts; sustained failure disables one and mails its owner. */
async function webhookHealthStatements(db: Db, outcomes: Outcome[], now: Date): Promise<Statement[]> {
  const attempts = new Map<string, WebhookOutcome[]>();
  for (const m of outcomes) {
    if (m.kind === "dropped" || m.kind === "refused" || m.channel !== "webhook") continue;
    attempts.set(m.subscriberId, [...(attempts.get(m.subscriberId) ?? []), m.kind]);
  }
  if (attempts.size === 0) return [];
  const webhooks = await db
    .select({
      id: subscribers.id,
      state: subscribers.state,
      hardFailures: subscribers.hardFailures,
      failingSince: subscribers.failingSince,
    })
    .from(subscribers)
    .where(inArray(subscribers.id, [...attempts.keys()]));
  return webhooks.flatMap(
    (webhook) => webhookOutcomesStatements(db, webhook, attempts.get(webhook.id) ?? [], now).statements,
  );
}

/** The delivery rows, the events' counters and the mail subscribers' failure runs of one turn's outcomes. */
function outcomeStatements(db: Db, outcomes: Outcome[], now: string, quarantineAfter: number): Statement[] {
  const statements: Statement[] = [];
  const of = <K extends Outcome["kind"]>(kind: K) => outcomes.filter((m): m is OfKind<K> => m.kind === kind);
  const sent = of("sent");
  const retry = of("retry");
  const failed = of("failed");
  const dropped = of("dropped");
  const refused = of("refused");
  if (sent.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ${now},
        server_reply = json_extract(m.value, '$.reply'), message_id = json_extract(m.value, '$.messageId'),
        last_error = NULL, lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(sent.map(({ id, reply, messageId }) => ({ id, reply, messageId })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (retry.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'queued', attempts = json_extract(m.value, '$.attempts'),
        next_attempt_at = json_extract(m.value, '$.next'), server_reply = json_extract(m.value, '$.reply'),
        last_error = json_extract(m.value, '$.reply'), lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(retry.map(({ id, attempts, next, reply }) => ({ id, attempts, next, reply })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (failed.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'failed', attempts = json_extract(m.value, '$.attempts'),
        server_reply = json_extract(m.value, '$.reply'), last_error = json_extract(m.value, '$.reply'),
        lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(failed.map(({ id, attempts, reply }) => ({ id, attempts, reply })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (refused.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'failed', server_reply = json_extract(m.value, '$.reply'),
        last_error = json_extract(m.value, '$.reply'), lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(refused.map(({ id, reply }) => ({ id, reply })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (dropped.length > 0)
    statements.push(
      db.run(
        sql`DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(${JSON.stringify(dropped.map((m) => m.id))}))`,
      ),
    );
  statements.push(...eventCounterStatements(db, outcomes));
  statements.push(...mailFailureRunStatements(db, { sent, retry, failed }, now, quarantineAfter));
  return statements;
}

/** Each event's `sent` and `failed` counters move with its outcomes; a dropped delivery lowers `queued`. */
function eventCounterStatements(db: Db, outcomes: Outcome[]): Statement[] {
  const counts = new Map<string, { sent: number; failed: number; dropped: number }>();
  for (const m of outcomes) {
    const count = counts.get(m.eventId) ?? { sent: 0, failed: 0, dropped: 0 };
    if (m.kind === "sent") count.sent++;
    if (m.kind === "failed" || m.kind === "refused") count.failed++;
    if (m.kind === "dropped") count.dropped++;
    counts.set(m.eventId, count);
  }
  return [...counts]
    .filter(([, count]) => count.sent + count.failed + count.dropped > 0)
    .map(([eventId, count]) =>
      db.run(sql`UPDATE notification_events SET sent = sent + ${count.sent}, failed = failed + ${count.failed},
        queued = queued - ${count.dropped} WHERE id = ${eventId}`),
    );
}

/**
 * A mail subscriber's failure run: started by a failed attempt, counted by hard failures (quarantined
 * after `quarantineAfter` in a row), ended by an accepted mail. A webhook's run is its health, above (a
 * mail to its owner is not its health). `+channel`: without it SQLite walks subscribers_address_idx
 * (every mail subscriber) on each batch.
 */
function mailFailureRunStatements(
  db: Db,
  attempted: { sent: OfKind<"sent">[]; retry: OfKind<"retry">[]; failed: OfKind<"failed">[] },
  now: string,
  quarantineAfter: number,
): Statement[] {
  const { sent, retry, failed } = attempted;
  const statements: Statement[] = [];
  const mail = (m: OfKind<"sent" | "retry" | "failed">) => m.channel === "email";
  const hard = [...new Set(failed.filter((m) => m.hard && mail(m)).map((m) => m.subscriberId))];
  const failing = [...new Set([...retry, ...failed].filter(mail).map((m) => m.subscriberId))];
  const fine = [...new Set(sent.filter((m) => mail(m) && m.endsFailureRun).map((m) => m.subscriberId))];
  if (failing.length > 0)
    statements.push(
      db.run(sql`UPDATE subscribers SET failing_since = coalesce(failing_since, ${now})
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(failing)})) AND +channel = 'email'`),
    );
  if (hard.length > 0) {
    statements.push(
      db.run(sql`UPDATE subscribers SET hard_failures = hard_failures + 1, updated_at = ${now}
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(hard)})) AND +channel = 'email'`),
      db.run(sql`UPDATE subscribers SET state = 'quarantined', quarantine_reason = 'failures', quarantined_at = ${now}, updated_at = ${now}
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(hard)}))
          AND +channel = 'email' AND state = 'active' AND hard_failures >= ${quarantineAfter}`),
    );
  }
  if (fine.length > 0)
    statements.push(
      db.run(sql`UPDATE subscribers SET hard_failures = 0, failing_since = NULL
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(fine)}))
          AND +channel = 'email' AND (hard_failures > 0 OR failing_since IS NOT NULL)`),
    );
  return statements;
}
