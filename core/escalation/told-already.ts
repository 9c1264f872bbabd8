import type { Db } from "../../db/client.ts";
import { levelNoticeOf } from "./ids.ts";
import { toldSoFar } from "./incident-command.ts";

/** What an escalation notice's mail says of the escalation: its level and who was told before it. */
export type EscalationFacts = { level: number; levelLabel: string; toldAlready: string | null };

/**
 * Who was told of the same lapsed promise at earlier levels, from the notices' own events (their ids name the
 * promise and the level): each person by name, the team address by address, and "the team's chat". Null for
 * an event that is not an escalation notice.
 */
export async function escalationFacts(db: Db, eventId: string): Promise<EscalationFacts | null> {
  const about = levelNoticeOf(eventId);
  if (!about) return null;
  const dueAt = new Date(Number.parseInt(about.due, 36)).toISOString();
  const earlier = (await toldSoFar(db, about.incidentId, dueAt)).filter((t) => t.level < about.level);
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
