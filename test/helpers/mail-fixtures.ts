import { eq } from "drizzle-orm";
import { run } from "../../core/actions/run.ts";
import { draftNoticeIds } from "../../core/alerts/drafts/notice-ids.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { levelNoticeIds } from "../../core/escalation/ids.ts";
import { writePostmortem } from "../../core/incidents/write-postmortem.ts";
import { newId } from "../../core/model/ids.ts";
import { type NotificationKind, TEMPLATED_KINDS } from "../../core/notifications/events.ts";
import type { NotificationEventRow } from "../../core/notifications/mail-view.ts";
import { weeklyReviewIds } from "../../core/review/weekly/schedule.ts";
import type { Db } from "../../db/client.ts";
import { jobs, notificationEvents, subscriberComponents, subscribers } from "../../db/schema.ts";
import { openIncidentNow, postUpdateNow } from "./actions.ts";
import { insertWaitingDraft } from "./alert-drafts.ts";
import { contextFor, manualClock, setupPage } from "./database.ts";

export type MailFixtures = {
  events: Record<NotificationKind, NotificationEventRow>;
  subscriber: typeof subscribers.$inferSelect;
  unconfirmed: typeof subscribers.$inferSelect;
  webhook: typeof subscribers.$inferSelect;
  incidentId: string;
  maintenanceId: string;
  updateIds: { opened: string; identified: string; resolved: string };
  links: { preferences: string; unsubscribe: string; confirm: string };
};

export type FixtureNames = { incident?: string; component?: string; page?: string };

/**
 * An incident (opened, identified with a promised next update, resolved, postmortem), a maintenance,
 * subscribers of each kind and one notification event per kind, written through the product's actions
 * (events directly: the events writer is another module's).
 */
export async function mailFixtures(db: Db, names: FixtureNames = {}): Promise<MailFixtures> {
  const clock = manualClock("2026-11-26T10:00:00.000Z");
  await setupPage(db, clock);
  if (names.page) await db.run(`UPDATE page SET name = '${names.page.replace(/'/g, "''")}'`);
  const ctx = contextFor(db, clock);
  const api = await run(ctx, createComponent, { name: names.component ?? "API" });
  const dashboard = await run(ctx, createComponent, { name: "Dashboard" });
  const incident = await openIncidentNow(ctx, {
    name: names.incident ?? "Elevated API error rates",
    status: "investigating",
    body: "We are seeing **elevated error rates** on the API and are looking into it.",
    components: { [api.id]: "partial_outage" },
  });
  clock.advance(20 * 60_000);
  const identified = await postUpdateNow(ctx, incident.id, {
    status: "identified",
    body: [
      "We found the cause: a bad deploy of the [edge proxy](https://example.com/changelog).",
      "",
      "- Rolling back now",
      "- Dashboards may lag by a few minutes",
      "",
      "Thanks for your patience.",
    ].join("\n"),
    components: { [api.id]: "major_outage", [dashboard.id]: "degraded_performance" },
    next_update_in_minutes: 30,
  });
  clock.advance(25 * 60_000);
  const resolved = await postUpdateNow(ctx, incident.id, {
    status: "resolved",
    body: "The rollback is complete and error rates are back to normal.",
  });
  clock.advance(60 * 60_000);
  await run(ctx, writePostmortem, {
    id: incident.id,
    body: "## What happened\n\nA configuration change to the edge proxy doubled connection churn.\n\n## What we change\n\n1. Canary every proxy deploy\n2. Alert on churn",
  });
  const maintenance = await openIncidentNow(ctx, {
    kind: "maintenance",
    name: "Database upgrade",
    status: "scheduled",
    body: "We will upgrade the primary database. The API may be read-only for a few minutes.",
    scheduled_for: "2026-11-28T02:00:00.000Z",
    scheduled_until: "2026-11-28T04:00:00.000Z",
    components: { [api.id]: "operational" },
  });
  const at = clock.now().toISOString();
  const subscriber = await addSubscriber(db, at, { address: "ada@example.com", state: "active" });
  const unconfirmed = await addSubscriber(db, at, {
    address: "grace@example.com",
    state: "unconfirmed",
    allComponents: false,
  });
  await db.insert(subscriberComponents).values({ subscriberId: unconfirmed.id, componentId: api.id });
  const webhook = await addSubscriber(db, at, {
    channel: "webhook",
    format: "json",
    address: "https://hooks.example.com/herald",
    ownerEmail: "ops@example.com",
    state: "disabled",
    failingSince: "2026-11-25T09:00:00.000Z",
  });

  const identifiedUpdate = identified.incident_updates?.[0]?.id;
  const openedUpdate = incident.incident_updates?.[0]?.id;
  const resolvedUpdate = resolved.incident_updates?.[0]?.id;
  if (!identifiedUpdate || !openedUpdate || !resolvedUpdate) throw new Error("updates missing from the answers");
  const maintenanceUpdate = maintenance.incident_updates?.[0]?.id ?? null;

  // The actions above wrote their own events; the fixture replaces them with exactly one of each kind.
  await db.delete(notificationEvents);
  await db.delete(jobs).where(eq(jobs.kind, "notify"));
  // A draft incident from alerts (its notices name it by their ids: core/alerts/drafts/notice-ids.ts).
  const draft = await insertWaitingDraft(db, clock.now(), {
    name: names.incident ? `${names.incident} (draft)` : "API is partially unavailable",
    components: { [api.id]: "partial_outage" },
  });
  // The team address, which the weekly review's team copy is addressed to (core/review/weekly/schedule.ts).
  const team = await addSubscriber(db, at, { address: "oncall@acme.test", state: "unsubscribed", team: true });
  // A person's link mail is core/people's (test/integration/people/): only the templated kinds here.
  const events = {} as Record<NotificationKind, NotificationEventRow>;
  let minute = 0;
  for (const kind of TEMPLATED_KINDS) {
    const draftNotice =
      kind === "alert.draft_waiting"
        ? 0
        : kind === "alert.draft_reminder" || kind === "alert.draft_escalated"
          ? 1
          : null;
    const isMaintenance = kind.startsWith("maintenance.");
    const personal = kind === "subscription.confirm" || kind === "webhook.disabled";
    const row: NotificationEventRow = {
      id:
        kind === "review.weekly"
          ? weeklyReviewIds.team("2026-W48")
          : kind === "alert.draft_escalated"
            ? levelNoticeIds({ type: "draft", id: draft.id }, at, 1).person("ann000000001")
            : draftNotice === null
              ? newId()
              : draftNoticeIds(draft.id, draftNotice).team,
      kind,
      incidentId: personal || draftNotice !== null ? null : isMaintenance ? maintenance.id : incident.id,
      updateId:
        kind === "incident.opened"
          ? openedUpdate
          : kind === "incident.updated"
            ? identifiedUpdate
            : kind === "incident.resolved"
              ? resolvedUpdate
              : kind === "maintenance.scheduled"
                ? maintenanceUpdate
                : null,
      subscriberId:
        kind === "subscription.confirm"
          ? unconfirmed.id
          : kind === "webhook.disabled"
            ? webhook.id
            : kind === "review.weekly"
              ? team.id
              : null,
      componentIds: [api.id],
      createdAt:
        kind === "maintenance.reminder"
          ? "2026-11-28T01:00:00.000Z"
          : kind === "alert.draft_reminder" || kind === "alert.draft_escalated"
            ? new Date(clock.now().getTime() + 20 * 60_000).toISOString()
            : new Date(Date.parse(at) + minute++ * 1000).toISOString(),
      fanoutCursor: null,
      fanoutDoneAt: null,
      queued: 0,
      sent: 0,
      failed: 0,
      bounced: 0,
      complained: 0,
    };
    await db.insert(notificationEvents).values(row);
    events[kind] = row;
  }
  return {
    events,
    subscriber,
    unconfirmed,
    webhook,
    incidentId: incident.id,
    maintenanceId: maintenance.id,
    updateIds: { opened: openedUpdate, identified: identifiedUpdate, resolved: resolvedUpdate },
    links: {
      preferences: "https://status.acme.test/subscribe/manage?token=m.sig",
      unsubscribe: "https://status.acme.test/subscribe/unsubscribe?token=u.sig",
      confirm: "https://status.acme.test/subscribe/confirm?token=c.sig",
    },
  };
}

async function addSubscriber(
  db: Db,
  at: string,
  fields: Partial<typeof subscribers.$inferInsert> & { address: string },
): Promise<typeof subscribers.$inferSelect> {
  const [row] = await db
    .insert(subscribers)
    .values({
      id: newId(),
      channel: "email",
      format: "email",
      state: "active",
      source: "form",
      createdAt: at,
      updatedAt: at,
      ...fields,
    })
    .returning();
  if (!row) throw new Error("no subscriber");
  return row;
}
