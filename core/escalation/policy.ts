import { asc } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { escalationLevels } from "../../db/schema.ts";
import { defineAction, defineQuery, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { newId } from "../model/ids.ts";
import { PERSON_ID } from "./commander.ts";

/** The team destinations a level may tell (subscribers with `team = true` today). */
export const TEAM_CHANNELS = ["team_email", "team_webhooks"] as const;
export type TeamChannel = (typeof TEAM_CHANNELS)[number];

/** The most levels after the commander: a pager's policy rarely has more than three. */
export const MAX_LEVELS = 10;

export const escalationLevelSchema = z.strictObject({
  delay_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .describe("minutes after the previous level was told, with nothing posted, before this level is told"),
  person_ids: z
    .array(z.string().regex(PERSON_ID, "must be a person's id"))
    .max(50)
    .describe("the people this level mails"),
  team_channels: z
    .array(z.enum(TEAM_CHANNELS))
    .max(TEAM_CHANNELS.length)
    .describe("team destinations this level tells: team_email (the team address), team_webhooks (the team's chat)"),
  daytime_only: z
    .boolean()
    .describe("told only from 08:00 to 20:00 in the page's time zone; at night the escalation passes over it"),
});

export type EscalationLevelInput = z.output<typeof escalationLevelSchema>;
export type EscalationLevel = EscalationLevelInput & { position: number };

export const escalationPolicySchema = z.strictObject({
  levels: z.array(escalationLevelSchema.extend({ position: z.int() })),
});
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;

/** The policy's levels in order (position 1 is told first after the commander); none: no policy. */
export async function readEscalationLevels(db: Db): Promise<EscalationLevel[]> {
  const rows = await db.select().from(escalationLevels).orderBy(asc(escalationLevels.position));
  return rows.map((row) => ({
    position: row.position,
    delay_minutes: row.delayMinutes,
    person_ids: row.personIds,
    team_channels: row.teamChannels.filter((c): c is TeamChannel => (TEAM_CHANNELS as readonly string[]).includes(c)),
    daytime_only: row.daytimeOnly,
  }));
}

export const escalationPolicyQuery = defineQuery({
  name: "escalation_policy.get",
  role: "viewer",
  doing: "read the escalation policy",
  input: z.object({}),
  read: async (ctx) => ({ levels: await readEscalationLevels(ctx.db) }),
});

/** Replaces the whole policy (admin only); an empty list removes it, and lapsed promises remind the team as before. */
export const replaceEscalationPolicy = defineAction({
  name: "escalation_policy.replace",
  role: "admin",
  doing: "change the escalation policy",
  input: z.strictObject({
    levels: z.array(escalationLevelSchema).max(MAX_LEVELS).describe("the levels after the commander, in order"),
  }),
  load: async (ctx) => ({ db: ctx.db, before: await readEscalationLevels(ctx.db) }),
  plan({ db, before }, { levels }): Outcome<EscalationPolicy> {
    levels.forEach((level, i) => {
      if (level.person_ids.length === 0 && level.team_channels.length === 0) {
        throw invalid("Each level must tell someone: a person or a team channel.", [
          { path: `levels.${i}`, message: "names no person and no team channel" },
        ]);
      }
    });
    const after = levels.map((level, i) => ({
      ...level,
      person_ids: [...new Set(level.person_ids)],
      team_channels: [...new Set(level.team_channels)],
      position: i + 1,
    }));
    const rows = after.map((level) => ({
      id: newId(),
      position: level.position,
      delayMinutes: level.delay_minutes,
      personIds: level.person_ids,
      teamChannels: level.team_channels,
      daytimeOnly: level.daytime_only,
    }));
    const [first, ...rest] = rows;
    return {
      changes: [
        {
          statements: [
            db.delete(escalationLevels),
            ...(first ? [db.insert(escalationLevels).values([first, ...rest])] : []),
          ],
          audit: {
            action: "escalation_policy.replace",
            targetType: "page",
            targetId: "escalation_policy",
            details: { before, after },
          },
          jobs: [],
        },
      ],
      result: { levels: after },
    };
  },
});
