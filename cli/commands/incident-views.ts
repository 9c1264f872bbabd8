import { listIncidentsRoute } from "../../api/routes/incidents.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import { booleanOption, type Command, stringOption, table } from "../command.ts";

/** How the incident commands show incidents: one in full, a list as rows. */
export function describeIncident(incident: AdminIncident): string {
  const lines = [
    `${incident.name}  (${incident.kind} ${incident.id})`,
    table([
      ["  status", incident.status],
      ["  impact", `${incident.impact}${incident.impact_override ? " (set by hand)" : ""}`],
      ...(incident.scheduled_for
        ? [["  window", `${incident.scheduled_for} – ${incident.scheduled_until ?? ""}`]]
        : []),
      ["  started", incident.started_at],
      ...(incident.resolved_at ? [["  resolved", incident.resolved_at]] : []),
      ...(incident.next_update_at ? [["  next update by", incident.next_update_at]] : []),
      ["  link", incident.shortlink],
    ]),
  ];
  if (incident.components.length > 0) {
    lines.push("", "Components:", table(incident.components.map((c) => [`  ${c.status}`, c.name])));
  }
  if (incident.incident_updates.length > 0) {
    lines.push("", "Updates (newest first):");
    for (const update of incident.incident_updates) {
      lines.push(`  ${update.display_at}  ${update.status}`);
      if (update.body) lines.push(...update.body.split("\n").map((line) => `    ${line}`));
    }
  }
  return lines.join("\n");
}

export function incidentRows(incidents: AdminIncident[]): string {
  if (incidents.length === 0) return "None.";
  return table(incidents.map((i) => [i.id, i.status, i.impact, i.started_at.slice(0, 16).replace("T", " "), i.name]));
}

/** `incident list` and `maintenance list`: one kind, newest first, open ones only when `openOnly(flag)`. */
export function incidentListCommand(
  kind: "incident" | "maintenance",
  usage: string,
  summary: string,
  filter: { option: string; description: string; openOnly(flag: boolean): boolean },
): Command {
  return {
    name: "list",
    usage,
    summary,
    options: {
      [filter.option]: { type: "boolean", description: filter.description },
      limit: { type: "string", value: "N", description: "how many (default 20, at most 500)" },
    },
    fieldOptions: { limit: "--limit" },
    async run(ctx, parsed) {
      const open = filter.openOnly(booleanOption(parsed.values, filter.option) === true);
      const incidents = await ctx.api().run(listIncidentsRoute, {
        kind,
        limit: stringOption(parsed.values, "limit") ?? "20",
        ...(open ? { open: "true" } : {}),
      });
      ctx.print(incidents, incidentRows);
      return 0;
    },
  };
}
