import { sql } from "drizzle-orm";
import type { Clock } from "../../core/actions/clock.ts";
import { commitChange } from "../../core/changes/commit.ts";
import { type Deliveries, EMAIL_RETRY, WEBHOOK_RETRY } from "../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../core/notifications/email/channel.ts";
import type { NewNotificationEvent } from "../../core/notifications/queue-event.ts";
import { notificationStatements } from "../../core/notifications/queue-event.ts";
import { webhookMessagesFor } from "../../core/notifications/webhook/channel.ts";
import { newWebhookSecret } from "../../core/webhooks/secret.ts";
import type { Db } from "../../db/client.ts";
import { subscribers } from "../../db/schema.ts";
import { fanOut } from "../../jobs/notify/fan-out.ts";
import { smtpTransport } from "../../jobs/notify/mail-transports.ts";
import { createWebhookTransport } from "../../jobs/notify/webhook-transport.ts";
import { contextFor } from "./database.ts";
import { openQuietIncident } from "./subscribers.ts";

/** Commits an event as an action would (event row + notify job) and fans it out; returns its id. */
export async function queueEvent(
  db: Db,
  clock: Clock,
  event: Omit<NewNotificationEvent, "at" | "componentIds"> & { componentIds?: string[] },
): Promise<string> {
  const planned = notificationStatements(db, { componentIds: [], ...event, at: clock.now().toISOString() });
  await commitChange(contextFor(db, clock), {
    ...planned,
    audit: { action: "test.event", targetType: "event", targetId: planned.eventId, details: {} },
  });
  await fanOut(db, clock, planned.eventId);
  return planned.eventId;
}

/** A page-wide `incident.opened` for every active subscriber, fanned out; returns the event id. */
export async function queueIncidentOpened(db: Db, clock: Clock): Promise<string> {
  return queueEvent(db, clock, { kind: "incident.opened", incidentId: await openQuietIncident(db, clock) });
}

/** An active JSON webhook subscriber (every component) posting to `url`. */
export async function addWebhook(db: Db, clock: Clock, id: string, url: string): Promise<string> {
  const at = clock.now().toISOString();
  await db.insert(subscribers).values({
    id,
    channel: "webhook",
    address: url,
    format: "json",
    state: "active",
    allComponents: true,
    webhookSecret: newWebhookSecret(),
    ownerEmail: "ops@acme.test",
    source: "api",
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

/** Mail through the SMTP server at `smtpUrl` and webhooks to any address (the test receivers are local). */
export function testChannels(smtpUrl: string): Deliveries {
  return {
    email: {
      channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
      transport: smtpTransport(smtpUrl),
    },
    webhook: {
      channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor },
      transport: createWebhookTransport({ policy: { allowPrivate: true } }),
    },
  };
}

/** Every row the sender could write (deliveries, subscribers, events, locks, jobs), to compare before and after. */
export async function senderTables(db: Db): Promise<Record<string, unknown[]>> {
  const tables = ["deliveries", "subscribers", "notification_events", "locks", "jobs"];
  const rows = await Promise.all(
    tables.map((table) => db.all<Record<string, unknown>>(sql.raw(`SELECT * FROM ${table} ORDER BY rowid`))),
  );
  return Object.fromEntries(tables.map((table, i) => [table, rows[i] ?? []]));
}
