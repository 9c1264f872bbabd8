import { and, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents, notificationEvents, subscribers } from "../../db/schema.ts";
import type { Change, Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import type { ComponentRow, IncidentRecord } from "../model/rows.ts";
import { componentsOfEvent } from "../notifications/events-from-changes.ts";
import { notificationStatements } from "../notifications/queue-event.ts";
import { unmarkFormerTeamAddresses } from "../subscribers/team-address.ts";

/** Whether an incident's promised next update has lapsed at `now` (the admin API's `next_update_overdue`). */
export function isUpdateOverdue(incident: Pick<IncidentRecord, "nextUpdateDueAt" | "resolvedAt">, now: Date): boolean {
  return incident.resolvedAt === null && incident.nextUpdateDueAt !== null && new Date(incident.nextUpdateDueAt) <= now;
}

/** The events of one lapsed promise (derived from the incident and the promised time: planned twice, written once). */
export function overdueEventIds(incident: { id: string; nextUpdateDueAt: string | null }): {
  webhooks: string;
  team: string;
} {
  const due = new Date(incident.nextUpdateDueAt ?? 0).getTime().toString(36);
  return { webhooks: `o-${incident.id}-${due}`, team: `ot-${incident.id}-${due}` };
}

/** The promised time an overdue event (by its id, from `overdueEventIds`) is about; null for any other event. */
export function lapsedPromiseOf(eventId: string): string | null {
  const due = /^ot?-[0-9a-z]+-([0-9a-z]+)$/.exec(eventId)?.[1];
  return due ? new Date(Number.parseInt(due, 36)).toISOString() : null;
}

/** Open incidents whose promise lapsed and whose reminder is not queued yet. */
export async function lapsedPromises(db: Db, now: Date): Promise<string[]> {
  const lapsed = await db
    .select({ id: incidents.id, nextUpdateDueAt: incidents.nextUpdateDueAt })
    .from(incidents)
    .where(
      and(
        isNull(incidents.resolvedAt),
        isNotNull(incidents.nextUpdateDueAt),
        lte(incidents.nextUpdateDueAt, now.toISOString()),
      ),
    );
  if (lapsed.length === 0) return [];
  const queued = await db
    .select({ id: notificationEvents.id })
    .from(notificationEvents)
    .where(
      inArray(
        notificationEvents.id,
        lapsed.map((i) => overdueEventIds(i).webhooks),
      ),
    );
  const done = new Set(queued.map((e) => e.id));
  return lapsed.filter((i) => !done.has(overdueEventIds(i).webhooks)).map((i) => i.id);
}

/** Who the team's reminder mail goes to: the team address's subscriber row, written (or marked team) now when needed. */
export type TeamRecipient = { subscriberId: string; statements: Statement[] };

/**
 * The subscriber row the team's mails go to, marked as a team destination. An address that is not
 * subscribed gets a row in state `unsubscribed`: events addressed to it reach it, subscribers' notices never do.
 */
export async function teamRecipient(db: Db, teamEmail: string | null, now: Date): Promise<TeamRecipient | null> {
  if (!teamEmail) return null;
  const [found] = await db
    .select({ id: subscribers.id, team: subscribers.team })
    .from(subscribers)
    .where(and(eq(subscribers.channel, "email"), eq(subscribers.address, teamEmail)));
  const formerAddresses = unmarkFormerTeamAddresses(db, teamEmail);
  if (found?.team) return { subscriberId: found.id, statements: [formerAddresses] };
  if (found) {
    // The address is also a subscriber: its row becomes a team destination too (team events are addressed).
    const mark = db
      .update(subscribers)
      .set({ team: true, updatedAt: now.toISOString() })
      .where(eq(subscribers.id, found.id));
    return { subscriberId: found.id, statements: [formerAddresses, mark] };
  }
  const id = newId();
  const at = now.toISOString();
  return {
    subscriberId: id,
    statements: [
      formerAddresses,
      db
        .insert(subscribers)
        .values({
          id,
          channel: "email",
          address: teamEmail,
          format: "email",
          state: "unsubscribed",
          team: true,
          source: "api",
          unsubscribedAt: at,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing(),
    ],
  };
}

/**
 * The reminder of one lapsed promise, a team event (core/notifications/events.ts): one for the team's
 * webhooks and, with a team address, one addressed to it. No subscriber ever gets it; the public page
 * never says "overdue".
 */
export function planOverdueReminder(
  state: { db: Db; components: ComponentRow[] },
  incident: IncidentRecord,
  team: TeamRecipient | null,
  now: Date,
): Change {
  const ids = overdueEventIds(incident);
  const at = now.toISOString();
  const base = { kind: "incident.update_overdue" as const, at, incidentId: incident.id };
  const webhooks = notificationStatements(state.db, {
    ...base,
    id: ids.webhooks,
    componentIds: componentsOfEvent(incident, state.components),
  });
  const mail = team
    ? notificationStatements(state.db, { ...base, id: ids.team, subscriberId: team.subscriberId, componentIds: [] })
    : null;
  return {
    statements: [...webhooks.statements, ...(mail?.statements ?? [])],
    jobs: [...webhooks.jobs, ...(mail?.jobs ?? [])],
    audit: {
      action: "incident.update_overdue",
      targetType: "incident",
      targetId: incident.id,
      details: { next_update_due_at: incident.nextUpdateDueAt, team_mailed: team !== null },
    },
  };
}
