import type { Db } from "../../db/client.ts";
import type { Change } from "../changes/commit.ts";
import { notificationStatements } from "../notifications/queue-event.ts";
import type { PersonContact } from "./contacts.ts";
import { levelNoticeIds } from "./ids.ts";
import type { EscalationLevel } from "./policy.ts";

export type LevelNotice = {
  incident: { id: string; nextUpdateDueAt: string };
  /** 0: the commander; then the policy's positions. */
  level: number;
  levels: readonly EscalationLevel[];
  /** The level's people who can be reached, each with the mail row their notice is addressed to. */
  people: (PersonContact & { subscriberId: string })[];
  /** The team address's row (null: no team address configured). */
  team: string | null;
  now: Date;
};

/**
 * The notices of one level of a lapsed promise: a personal `incident.escalated` mail to each of its people,
 * and the team's own `incident.update_overdue` on the channels the level names (its chat webhooks, the team
 * address). Event ids are derived from the promise and the level, so a notice is written once.
 */
export function planLevelNotice(db: Db, notice: LevelNotice): Change {
  const at = notice.now.toISOString();
  const ids = levelNoticeIds(notice.incident.id, notice.incident.nextUpdateDueAt, notice.level);
  const channels = notice.level === 0 ? [] : (notice.levels[notice.level - 1]?.team_channels ?? []);
  const people = notice.people;
  const base = { at, incidentId: notice.incident.id, componentIds: [] };
  const events = [
    ...people.map((p) =>
      notificationStatements(db, {
        ...base,
        kind: "incident.escalated",
        id: ids.person(p.id),
        subscriberId: p.subscriberId,
      }),
    ),
    ...(channels.includes("team_webhooks")
      ? [notificationStatements(db, { ...base, kind: "incident.update_overdue", id: ids.webhooks })]
      : []),
    ...(channels.includes("team_email") && notice.team
      ? [
          notificationStatements(db, {
            ...base,
            kind: "incident.update_overdue",
            id: ids.team,
            subscriberId: notice.team,
          }),
        ]
      : []),
  ];
  return {
    statements: events.flatMap((e) => e.statements),
    jobs: events.flatMap((e) => e.jobs),
    audit: {
      action: "incident.escalated",
      targetType: "incident",
      targetId: notice.incident.id,
      details: {
        next_update_due_at: notice.incident.nextUpdateDueAt,
        level: notice.level,
        people: people.map((p) => p.id),
        team_channels: channels,
      },
    },
  };
}
