import type { V2Component, V2Incident } from "../../core/public/statuspage.ts";
import { type CommandGroup, readCommand, table } from "../command.ts";

type Summary = {
  page: { name: string; url: string };
  status: { indicator: string; description: string };
  components: V2Component[];
  incidents: V2Incident[];
  scheduled_maintenances: V2Incident[];
};

function describe(summary: Summary): string {
  const lines = [`${summary.page.name}: ${summary.status.description}`];
  const degraded = summary.components.filter((c) => !c.group && c.status !== "operational");
  if (degraded.length > 0) lines.push("", table(degraded.map((c) => [`  ${c.status}`, c.name])));
  if (summary.incidents.length > 0) {
    lines.push("", "Open incidents:", table(summary.incidents.map((i) => [`  ${i.id}`, i.status, i.impact, i.name])));
  }
  if (summary.scheduled_maintenances.length > 0) {
    const rows = summary.scheduled_maintenances.map((m) => [`  ${m.id}`, m.status, m.scheduled_for ?? "", m.name]);
    lines.push("", "Maintenance:", table(rows));
  }
  return lines.join("\n");
}

export const statusGroup: CommandGroup = {
  name: "status",
  summary: "The page's overall status, degraded components, open incidents and maintenance.",
  commands: [
    readCommand<Summary>({
      name: "",
      usage: "status",
      summary: "Show the overall status as the public page shows it (no token needed).",
      path: "/api/v2/summary.json",
      text: describe,
    }),
  ],
};
