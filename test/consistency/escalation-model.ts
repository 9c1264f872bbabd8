import type { Model } from "./model.ts";

/**
 * The model of the team's escalation policy (docs/team.md, Escalation), written from the documented rules,
 * not from Herald's code: a lapsed promise tells the commander first (or, nobody commanding it, level 1 at
 * once), then each next level once its delay passed since the previous was told, the last level once; a new
 * promise (an update, an acknowledgement) starts afresh. A level tells the team address or the lead by mail.
 */
export type EscalationModel = {
  leadId: string;
  leadEmail: string;
  levels: { delayMinutes: number; tells: "team" | "lead" }[];
};

export function escalationTick(model: Model, team: EscalationModel, t: number): void {
  for (const incident of model.openIncidents()) {
    const due = incident.nextUpdateDueAt;
    if (!due || Date.parse(due) > t) continue;
    const at = new Date(t).toISOString();
    const tell = (level: number) => {
      incident.escalation = { due, level, at };
      if (level === 0) model.expect("incident.escalated", incident, false, team.leadEmail);
      else if (team.levels[level - 1]?.tells === "lead")
        model.expect("incident.escalated", incident, false, team.leadEmail);
      else model.expect("incident.update_overdue", incident, true);
    };
    const running = incident.escalation?.due === due ? incident.escalation : null;
    if (!running) {
      tell(incident.commanderId === team.leadId ? 0 : 1);
      continue;
    }
    const next = team.levels[running.level];
    if (next && t >= Date.parse(running.at) + next.delayMinutes * 60_000) tell(running.level + 1);
  }
}
