import { and, asc, inArray, isNull, ne } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { escalations, people } from "../../db/schema.ts";
import { escalationId } from "./ids.ts";
import { type EscalationLevel, readEscalationLevels } from "./policy.ts";
import { type Told, toldSoFar } from "./told-already.ts";

/** Who commands an incident, as the team sees it (a removed person keeps their name, marked). */
export type Commander = { id: string; name: string; removed: boolean };

/** A lapsed promise being escalated now: how late it is, who was told, and what comes next. */
export type RunningEscalation = {
  dueAt: string;
  lateMinutes: number;
  /** The last level told (0: the commander). */
  level: number;
  lastNotifiedAt: string;
  told: Told[];
  /** The next level and when it is told if nothing is posted; null after the last. */
  next: { level: number; at: string } | null;
};

export type IncidentCommand = { commander: Commander | null; escalation: RunningEscalation | null };

type CommandedIncident = {
  id: string;
  commanderId: string | null;
  nextUpdateDueAt: string | null;
  resolvedAt: string | null;
};

/**
 * Each incident's commander and running escalation (docs/team.md), read for the console in three queries
 * whatever the number of incidents; `told` lists who was told only when `withTold` (the incident screen).
 */
export async function incidentCommands(
  db: Db,
  incidents: readonly CommandedIncident[],
  levels: readonly EscalationLevel[],
  now: Date,
  options: { withTold?: boolean } = {},
): Promise<Map<string, IncidentCommand>> {
  const commanderIds = [...new Set(incidents.flatMap((i) => (i.commanderId ? [i.commanderId] : [])))];
  const promised = incidents.flatMap((i) =>
    i.nextUpdateDueAt && i.resolvedAt === null ? [{ ...i, dueAt: i.nextUpdateDueAt }] : [],
  );
  const escalationIds = promised.map((i) => escalationId({ type: "incident", id: i.id }, i.dueAt));
  const [commanders, running] = await Promise.all([
    commanderIds.length > 0
      ? db
          .select({ id: people.id, name: people.name, removedAt: people.removedAt })
          .from(people)
          .where(inArray(people.id, commanderIds))
      : [],
    escalationIds.length > 0 ? db.select().from(escalations).where(inArray(escalations.id, escalationIds)) : [],
  ]);
  const byPerson = new Map(commanders.map((p) => [p.id, { id: p.id, name: p.name, removed: p.removedAt !== null }]));
  const byEscalation = new Map(running.filter((r) => r.stoppedAt === null).map((r) => [r.id, r]));
  const result = new Map<string, IncidentCommand>();
  for (const incident of incidents) {
    const commander = incident.commanderId ? (byPerson.get(incident.commanderId) ?? null) : null;
    const due = incident.resolvedAt === null ? incident.nextUpdateDueAt : null;
    const row = due ? byEscalation.get(escalationId({ type: "incident", id: incident.id }, due)) : undefined;
    if (!due || !row) {
      result.set(incident.id, { commander, escalation: null });
      continue;
    }
    const nextLevel = levels[row.level];
    result.set(incident.id, {
      commander,
      escalation: {
        dueAt: due,
        lateMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(due)) / 60_000)),
        level: row.level,
        lastNotifiedAt: row.lastNotifiedAt,
        told: options.withTold ? await toldSoFar(db, { type: "incident", id: incident.id }, due) : [],
        next: nextLevel
          ? {
              level: row.level + 1,
              at: new Date(Date.parse(row.lastNotifiedAt) + nextLevel.delay_minutes * 60_000).toISOString(),
            }
          : null,
      },
    });
  }
  return result;
}

/** Who may command an incident: the team's commanders and admins (a viewer cannot post), by name. */
export async function commandCandidates(db: Db): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .select({ id: people.id, name: people.name })
    .from(people)
    .where(and(isNull(people.removedAt), ne(people.role, "viewer")))
    .orderBy(asc(people.name), asc(people.id));
  return rows;
}

/** What the incident screen's command card shows: the commander, the running escalation, who may take over. */
export type IncidentCommandView = IncidentCommand & { candidates: { id: string; name: string }[] };

export async function incidentCommandView(
  db: Db,
  incident: CommandedIncident,
  now: Date,
): Promise<IncidentCommandView> {
  const [levels, candidates] = await Promise.all([readEscalationLevels(db), commandCandidates(db)]);
  const commands = await incidentCommands(db, [incident], levels, now, { withTold: true });
  return { commander: null, escalation: null, ...commands.get(incident.id), candidates };
}
