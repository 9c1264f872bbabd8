import type { Db } from "../../db/client.ts";
import type { Change } from "../changes/commit.ts";
import type { NotificationKind } from "../notifications/events.ts";
import { notificationStatements } from "../notifications/queue-event.ts";
import type { PersonContact } from "./contacts.ts";
import { type EscalationSubject, levelNoticeIds } from "./ids.ts";
import type { EscalationLevel } from "./policy.ts";

/** One lapsed promise: its subject, when it lapsed, and the components its team notices are about. */
export type LapsedPromise = {
  subject: EscalationSubject;
  dueAt: string;
  /** Who commands it (an incident's commander; a draft has none). */
  commanderId: string | null;
  componentIds: string[];
};

export type LevelNotice = {
  lapsed: LapsedPromise;
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
 * What each subject's level tells: a personal mail to each person, and the team's own notice on the
 * channels the level names (an incident's is its overdue reminder, a draft's its "still waiting" reminder).
 */
const SUBJECT_EVENTS = {
  incident: {
    personal: "incident.escalated",
    team: "incident.update_overdue",
    audit: "incident",
  },
  draft: {
    personal: "alert.draft_escalated",
    team: "alert.draft_reminder",
    audit: "alert_draft",
  },
} as const satisfies Record<
  EscalationSubject["type"],
  { personal: NotificationKind; team: NotificationKind; audit: string }
>;

/** The audit log's target type of a subject (`incident`, `alert_draft`), the prefix of its escalation's actions. */
export function auditTargetOf(subject: EscalationSubject): string {
  return SUBJECT_EVENTS[subject.type].audit;
}

/** The audit action of a subject's escalation step (`escalated`, `escalation_passed`, `escalation_stopped`). */
export function auditActionOf(subject: EscalationSubject, step: "escalated" | "passed" | "stopped"): string {
  return `${auditTargetOf(subject)}.${step === "escalated" ? "escalated" : `escalation_${step}`}`;
}

/**
 * The notices of one level of a lapsed promise: a personal mail to each of its people, and the team's own
 * notice on the channels the level names (its chat webhooks, the team address). Event ids are derived from
 * the promise and the level, so a notice is written once.
 */
export function planLevelNotice(db: Db, notice: LevelNotice): Change {
  const { subject, dueAt } = notice.lapsed;
  const at = notice.now.toISOString();
  const kinds = SUBJECT_EVENTS[subject.type];
  const ids = levelNoticeIds(subject, dueAt, notice.level);
  const channels = notice.level === 0 ? [] : (notice.levels[notice.level - 1]?.team_channels ?? []);
  const people = notice.people;
  const base = { at, incidentId: subject.type === "incident" ? subject.id : null };
  const events = [
    ...people.map((p) =>
      notificationStatements(db, {
        ...base,
        kind: kinds.personal,
        id: ids.person(p.id),
        subscriberId: p.subscriberId,
        componentIds: [],
      }),
    ),
    ...(channels.includes("team_webhooks")
      ? [
          notificationStatements(db, {
            ...base,
            kind: kinds.team,
            id: ids.webhooks,
            componentIds: notice.lapsed.componentIds,
          }),
        ]
      : []),
    ...(channels.includes("team_email") && notice.team
      ? [
          notificationStatements(db, {
            ...base,
            kind: kinds.team,
            id: ids.team,
            subscriberId: notice.team,
            componentIds: [],
          }),
        ]
      : []),
  ];
  return {
    statements: events.flatMap((e) => e.statements),
    jobs: events.flatMap((e) => e.jobs),
    audit: {
      action: auditActionOf(subject, "escalated"),
      targetType: auditTargetOf(subject),
      targetId: subject.id,
      details: {
        [subject.type === "incident" ? "next_update_due_at" : "due_at"]: dueAt,
        level: notice.level,
        people: people.map((p) => p.id),
        team_channels: channels,
      },
    },
  };
}
