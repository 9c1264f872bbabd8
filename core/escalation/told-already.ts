import { eq, like } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { notificationEvents, subscribers } from "../../db/schema.ts";
import { levelNoticeOf } from "./ids.ts";

/** What an escalation notice's mail says of the escalation: its level and who was told before it. */
export type EscalationFacts = { level: number; levelLabel: string; toldAlready: string | null };

/**
 * Who was told of the same lapsed promise at earlier levels, from the notices' own events (their ids name the
 * promise and the level): each person's or the team address's mail address, and "the team's chat". Null for
 * an event that is not an escalation notice.
 */
export async function escalationFacts(db: Db, eventId: string): Promise<EscalationFacts | null> {
  const about = levelNoticeOf(eventId);
  if (!about) return null;
  const stamp = `${about.subject.id}-${about.due}-`;
  const rows = await db
    .select({ id: notificationEvents.id, address: subscribers.address })
    .from(notificationEvents)
    .leftJoin(subscribers, eq(subscribers.id, notificationEvents.subscriberId))
    .where(like(notificationEvents.id, `${about.letters}%-${stamp}%`));
  const earlier = rows
    .flatMap((row) => {
      const notice = levelNoticeOf(row.id);
      if (!notice || notice.letters !== about.letters || notice.subject.id !== about.subject.id) return [];
      if (notice.due !== about.due) return [];
      if (notice.level >= about.level) return [];
      return [{ level: notice.level, who: row.address ?? "the team's chat" }];
    })
    .sort((a, b) => a.level - b.level || a.who.localeCompare(b.who));
  const told = earlier.map((e) => `${e.who} (${levelName(e.level)})`);
  return {
    level: about.level,
    levelLabel: levelName(about.level),
    toldAlready: told.length > 0 ? [...new Set(told)].join(", ") : null,
  };
}

function levelName(level: number): string {
  return level === 0 ? "the commander" : `level ${level}`;
}
