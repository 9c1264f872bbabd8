import { eq, inArray, like } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { notificationEvents, people, subscribers } from "../../db/schema.ts";
import { type EscalationSubject, levelNoticeOf, levelNoticesPattern } from "./ids.ts";

/** What an escalation notice's mail says of the escalation: its level and who was told before it. */
export type EscalationFacts = { level: number; levelLabel: string; toldAlready: string | null };

/** One notice of an escalation: its level and whom it told (a person by name, the team address, or the chat). */
export type Told = { level: number; who: string };

/**
 * Who was told of the same lapsed promise (or waiting draft) at earlier levels, from the notices' own events
 * (their ids name the subject, the promise and the level). Null for an event that is not an escalation notice.
 */
export async function escalationFacts(db: Db, eventId: string): Promise<EscalationFacts | null> {
  const about = levelNoticeOf(eventId);
  if (!about) return null;
  const dueAt = new Date(Number.parseInt(about.due, 36)).toISOString();
  const earlier = (await toldSoFar(db, about.subject, dueAt)).filter((t) => t.level < about.level);
  const told = earlier.map((e) => `${e.who} (${levelName(e.level)})`);
  return {
    level: about.level,
    levelLabel: levelName(about.level),
    toldAlready: told.length > 0 ? [...new Set(told)].join(", ") : null,
  };
}

/** Every notice of one escalation so far, by level: people by name (their address once removed), then addresses. */
export async function toldSoFar(db: Db, subject: EscalationSubject, dueAt: string): Promise<Told[]> {
  const rows = await db
    .select({ id: notificationEvents.id, address: subscribers.address })
    .from(notificationEvents)
    .leftJoin(subscribers, eq(subscribers.id, notificationEvents.subscriberId))
    .where(like(notificationEvents.id, levelNoticesPattern(subject, dueAt)));
  const due = new Date(dueAt).getTime().toString(36);
  const notices = rows.flatMap((row) => {
    const notice = levelNoticeOf(row.id);
    if (!notice || notice.subject.type !== subject.type || notice.subject.id !== subject.id) return [];
    if (notice.due !== due) return [];
    return [{ level: notice.level, personId: notice.personId, address: row.address }];
  });
  const personIds = [...new Set(notices.flatMap((n) => (n.personId ? [n.personId] : [])))];
  const names = new Map(
    personIds.length > 0
      ? (await db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, personIds))).map(
          (p) => [p.id, p.name] as const,
        )
      : [],
  );
  return notices
    .map((n) => ({
      level: n.level,
      who: n.personId ? (names.get(n.personId) ?? n.address ?? "a former member") : (n.address ?? "the team's chat"),
    }))
    .sort((a, b) => a.level - b.level || a.who.localeCompare(b.who));
}

function levelName(level: number): string {
  return level === 0 ? "the commander" : `level ${level}`;
}
