import { openIncidentRoute } from "../../api/routes/incidents.ts";
import { type CommandGroup, parseMinutes, requiredOption, stringOption } from "../command.ts";
import { parseTime } from "../time-option.ts";
import { UPDATE_FIELD_OPTIONS, UPDATE_OPTIONS, updateFields } from "./incident.ts";
import { incidentListCommand } from "./incident-views.ts";
import { maintenanceWindowCommands } from "./maintenance-window.ts";

const scheduleUsage =
  "maintenance schedule (--name NAME | --template ID [--var KEY=VALUE …]) --from TIME --until TIME [--component NAME …] [options]";

export const maintenanceGroup: CommandGroup = {
  name: "maintenance",
  summary: "Maintenance: schedule a window, list, reschedule, extend or cancel one.",
  commands: [
    {
      name: "schedule",
      usage: scheduleUsage,
      summary: "Schedule a maintenance window.",
      options: {
        name: { type: "string", value: "NAME", description: "the maintenance's title" },
        from: { type: "string", value: "TIME", description: "start: ISO time with zone, or now+2h" },
        until: { type: "string", value: "TIME", description: "end: ISO time with zone, or now+4h" },
        ...UPDATE_OPTIONS,
        component: {
          ...UPDATE_OPTIONS.component,
          value: "NAME[=STATUS]",
          description: "a component under maintenance (status under_maintenance, or the template's, unless given)",
        },
        remind: {
          type: "string",
          value: "DURATION",
          description: "remind subscribers this long before (default 60m; 0: none)",
        },
      },
      fieldOptions: UPDATE_FIELD_OPTIONS,
      notes: [
        'Example: herald maintenance schedule --name "Database upgrade" --from 2026-12-01T02:00:00Z --until 2026-12-01T04:00:00Z --component Database',
        'From a template: herald maintenance schedule --template maintenance-scheduled --var "work=Database upgrade" --from now+2h --until now+4h --component Database',
      ].join("\n"),
      async run(ctx, parsed) {
        const { values } = parsed;
        const name =
          stringOption(values, "template") === undefined
            ? requiredOption(values, "name", scheduleUsage)
            : stringOption(values, "name");
        const from = parseTime(requiredOption(values, "from", scheduleUsage), "from");
        const until = parseTime(requiredOption(values, "until", scheduleUsage), "until");
        const remind = stringOption(values, "remind");
        const api = ctx.api();
        const { template, variables, body, components, deliver_notifications } = await updateFields(
          api,
          parsed,
          "under_maintenance",
        );
        const answer = await api.run(openIncidentRoute, {
          kind: "maintenance",
          template,
          variables,
          name,
          scheduled_for: from,
          scheduled_until: until,
          body,
          components,
          deliver_notifications,
          remind_minutes: remind === undefined ? undefined : parseMinutes(remind, "remind"),
        });
        // Only an incident is opened later (publish_at, never sent here); a maintenance is announced now.
        if ("publish_at" in answer) throw new Error("Herald answered with a scheduled opening, not a maintenance");
        ctx.print(
          answer,
          (m) => `${m.id}  ${m.status}  ${m.name}\n${m.scheduled_for} – ${m.scheduled_until}\n${m.shortlink}`,
        );
        return 0;
      },
    },
    incidentListCommand(
      "maintenance",
      "maintenance list [--all] [--limit N]",
      "List upcoming and active maintenance (--all: past ones too), newest first.",
      { option: "all", description: "include completed maintenance", openOnly: (flag) => !flag },
    ),
    ...maintenanceWindowCommands,
  ],
};
