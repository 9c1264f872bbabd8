import { readFile } from "node:fs/promises";
import {
  cancelScheduledOpeningRoute,
  cancelScheduledUpdateRoute,
  listIncidentUpdatesRoute,
  listScheduledOpeningsRoute,
  listScheduledUpdatesRoute,
} from "../../api/routes/scheduled.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { ScheduledUpdateView } from "../../core/incidents/scheduled-updates.ts";
import type { ScheduledOpeningView } from "../../core/incidents/stored-openings.ts";
import { ApiError } from "../api-client.ts";
import { type Command, requiredOption, requiredPositional, stringOption, table, UsageError } from "../command.ts";

export function scheduledRows(updates: ScheduledUpdateView[]): string {
  if (updates.length === 0) return "No scheduled updates.";
  return table(
    updates.map((u) => [u.id, u.publish_at, u.incident_id, u.status, (u.body.split("\n")[0] ?? "").slice(0, 60)]),
  );
}

/** Timed updates and incidents to open, the soonest first (`--json`: both lists as the API gives them). */
export type Scheduled = { updates: ScheduledUpdateView[]; incidents: ScheduledOpeningView[] };

export function allScheduledRows(scheduled: Scheduled): string {
  const rows = [
    ...scheduled.incidents.map((o) => [
      o.id,
      o.publish_at,
      "new incident",
      o.status,
      `${o.name}${o.failure ? `  (NOT OPENED: ${o.failure})` : ""}`,
    ]),
    ...scheduled.updates.map((u) => [
      u.id,
      u.publish_at,
      u.incident_id,
      u.status,
      (u.body.split("\n")[0] ?? "").slice(0, 60),
    ]),
  ].sort((a, b) => (a[1] ?? "").localeCompare(b[1] ?? ""));
  return rows.length === 0 ? "Nothing scheduled." : table(rows);
}

export const scheduledLine = (u: ScheduledUpdateView) =>
  `${u.id}  scheduled for ${u.publish_at}  ${u.status}  (incident ${u.incident_id})`;

export const openingLine = (o: ScheduledOpeningView) =>
  `${o.id}  opens at ${o.publish_at}  ${o.status}  ${o.name}\n(kept off the page until then; \`herald incident unschedule ${o.id}\` cancels it)`;

const backfillUsage = "incident backfill --file FILE.json";

/** Timed updates and backfilled incidents: `incident scheduled|unschedule|backfill`. */
export const scheduledUpdateCommands: Command[] = [
  {
    name: "scheduled",
    usage: "incident scheduled [--incident ID]",
    summary: "List timed updates and incidents to open later, the soonest first.",
    options: { incident: { type: "string", value: "ID", description: "only this incident's timed updates" } },
    async run(ctx, parsed) {
      const incident = stringOption(parsed.values, "incident");
      const api = ctx.api();
      if (incident) {
        // With state=scheduled the route answers timed updates (the other shape is the published timeline).
        const updates = await api.run(listIncidentUpdatesRoute, { id: incident, state: "scheduled" });
        ctx.print(updates as ScheduledUpdateView[], scheduledRows);
        return 0;
      }
      const [updates, incidents] = await Promise.all([
        api.run(listScheduledUpdatesRoute, {}),
        api.run(listScheduledOpeningsRoute, {}),
      ]);
      ctx.print({ updates, incidents } satisfies Scheduled, allScheduledRows);
      return 0;
    },
  },
  {
    name: "unschedule",
    usage: "incident unschedule ID",
    summary: "Cancel a timed update, or an incident scheduled to open, before it is published.",
    async run(ctx, parsed) {
      const id = requiredPositional(
        parsed,
        0,
        "the scheduled update's or incident's id (see `herald incident scheduled`)",
        "incident unschedule ID",
      );
      const api = ctx.api();
      try {
        await api.run(cancelScheduledUpdateRoute, { updateId: id });
        ctx.print({ id, cancelled: true }, () => `Cancelled scheduled update ${id}.`);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
        await api.run(cancelScheduledOpeningRoute, { openingId: id });
        ctx.print({ id, cancelled: true }, () => `Cancelled scheduled incident ${id}: it will not be opened.`);
      }
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
