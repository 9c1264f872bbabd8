import { readFile } from "node:fs/promises";
import type { ScheduledUpdateView } from "../../core/incidents/scheduled-updates.ts";
import type { AdminIncident } from "../../core/public/admin.ts";
import { type Command, requiredOption, requiredPositional, stringOption, table, UsageError } from "../command.ts";

export function scheduledRows(updates: ScheduledUpdateView[]): string {
  if (updates.length === 0) return "No scheduled updates.";
  return table(
    updates.map((u) => [u.id, u.publish_at, u.incident_id, u.status, (u.body.split("\n")[0] ?? "").slice(0, 60)]),
  );
}

export const scheduledLine = (u: ScheduledUpdateView) =>
  `${u.id}  scheduled for ${u.publish_at}  ${u.status}  (incident ${u.incident_id})`;

const backfillUsage = "incident backfill --file FILE.json";

/** Timed updates and backfilled incidents: `incident scheduled|unschedule|backfill`. */
export const scheduledUpdateCommands: Command[] = [
  {
    name: "scheduled",
    usage: "incident scheduled [--incident ID]",
    summary: "List timed updates not yet published, the soonest first.",
    options: { incident: { type: "string", value: "ID", description: "only this incident's" } },
    async run(ctx, parsed) {
      const incident = stringOption(parsed.values, "incident");
      const path = incident
        ? `/api/incidents/${encodeURIComponent(incident)}/updates?state=scheduled`
        : "/api/scheduled-updates";
      ctx.print(await ctx.api().call<ScheduledUpdateView[]>("GET", path), scheduledRows);
      return 0;
    },
  },
  {
    name: "unschedule",
    usage: "incident unschedule UPDATE_ID",
    summary: "Cancel a timed update before it is published.",
    async run(ctx, parsed) {
      const id = requiredPositional(
        parsed,
        0,
        "the scheduled update's id (see `herald incident scheduled`)",
        "incident unschedule UPDATE_ID",
      );
      await ctx.api().call("DELETE", `/api/scheduled-updates/${encodeURIComponent(id)}`);
      ctx.print({ id, cancelled: true }, () => `Cancelled scheduled update ${id}.`);
      return 0;
    },
  },
  {
    name: "backfill",
    usage: backfillUsage,
    summary: "Record a past incident from a JSON file (name, started_at, resolved_at, updates).",
    options: { file: { type: "string", value: "FILE", description: "the JSON body of POST /api/incidents/backfill" } },
    notes:
      'Example file: {"name":"API outage","started_at":"2026-11-02T10:00:00Z","resolved_at":"2026-11-02T11:00:00Z","updates":[{"status":"investigating","display_at":"2026-11-02T10:00:00Z","body":"…"}]}',
    async run(ctx, parsed) {
      const file = requiredOption(parsed.values, "file", backfillUsage);
      let body: unknown;
      try {
        body = JSON.parse(await readFile(file, "utf8"));
      } catch (error) {
        throw new UsageError(`--file: cannot read JSON from ${file}: ${(error as Error).message}`);
      }
      const incident = await ctx.api().call<AdminIncident>("POST", "/api/incidents/backfill", body);
      ctx.print(incident, (i) => `${i.id}  ${i.status}  ${i.name}\n${i.started_at} – ${i.resolved_at ?? ""}`);
      return 0;
    },
  },
];
