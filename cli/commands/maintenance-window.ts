import type { OperationRoute } from "../../api/operation-route.ts";
import {
  cancelMaintenanceRoute,
  extendMaintenanceRoute,
  rescheduleMaintenanceRoute,
} from "../../api/routes/incidents.ts";
import type { AnyOperation, InputOf } from "../../core/actions/define.ts";
import type { AdminIncident, adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import {
  booleanOption,
  type Command,
  type OptionSpec,
  type Parsed,
  requiredOption,
  requiredPositional,
  stringOption,
  UsageError,
} from "../command.ts";
import { parseTime } from "../time-option.ts";

/** The notice every window change posts: its text (a stock one unless given) and whether subscribers hear. */
const NOTICE_OPTIONS: Record<string, OptionSpec> = {
  body: { type: "string", value: "TEXT", description: "the update posted with it (default: a stock text)" },
  notify: { type: "boolean", description: "notify subscribers (default) or not" },
};
const FIELD_OPTIONS = {
  scheduled_for: "--from",
  scheduled_until: "--until",
  body: "--body",
  deliver_notifications: "--notify",
};

function notice(parsed: Parsed) {
  return { body: stringOption(parsed.values, "body"), deliver_notifications: booleanOption(parsed.values, "notify") };
}

const windowLine = (m: AdminIncident) =>
  `${m.id}  ${m.status}  ${m.name}\n${m.scheduled_for ?? ""} – ${m.scheduled_until ?? ""}${m.cancelled_at ? `\ncancelled ${m.cancelled_at}` : ""}`;

/** Posts one window change (`/api/incidents/{id}/{action}`, the route given) and prints the maintenance. */
function windowCommand<O extends AnyOperation>(spec: {
  route: OperationRoute<O, typeof adminIncidentSchema>;
  action: "reschedule" | "extend" | "cancel";
  usage: string;
  summary: string;
  options?: Record<string, OptionSpec>;
  notes?: string;
  /** The operation's input: the maintenance `id`, what the options give and the notice. */
  input(id: string, parsed: Parsed, usage: string): InputOf<O>;
}): Command {
  const usage = `maintenance ${spec.usage}`;
  return {
    name: spec.action,
    usage,
    summary: spec.summary,
    options: { ...spec.options, ...NOTICE_OPTIONS },
    fieldOptions: FIELD_OPTIONS,
    ...(spec.notes ? { notes: spec.notes } : {}),
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the maintenance's id (see `herald maintenance list`)", usage);
      ctx.print(await ctx.api().run(spec.route, spec.input(id, parsed, usage)), windowLine);
      return 0;
    },
  };
}

const TIME = "ISO time with zone, or now+2h";

export const maintenanceWindowCommands: Command[] = [
  windowCommand({
    route: rescheduleMaintenanceRoute,
    action: "reschedule",
    usage: "reschedule ID [--from TIME] [--until TIME] [--body TEXT] [--no-notify]",
    summary: "Move a maintenance that has not started to another window.",
    options: {
      from: { type: "string", value: "TIME", description: `the new start: ${TIME}` },
      until: { type: "string", value: "TIME", description: `the new end: ${TIME}` },
    },
    notes: "Example: herald maintenance reschedule mnt_123 --from 2026-12-08T02:00:00Z --until 2026-12-08T04:00:00Z",
    input(id, parsed, usage) {
      const from = stringOption(parsed.values, "from");
      const until = stringOption(parsed.values, "until");
      if (from === undefined && until === undefined)
        throw new UsageError(`Give --from, --until or both: herald ${usage}`);
      return {
        id,
        scheduled_for: from === undefined ? undefined : parseTime(from, "from"),
        scheduled_until: until === undefined ? undefined : parseTime(until, "until"),
        ...notice(parsed),
      };
    },
  }),
  windowCommand({
    route: extendMaintenanceRoute,
    action: "extend",
    usage: "extend ID --until TIME [--body TEXT] [--no-notify]",
    summary: "Give a maintenance (upcoming or running) a later end.",
    options: { until: { type: "string", value: "TIME", description: `the new end: ${TIME}` } },
    notes: "Example: herald maintenance extend mnt_123 --until now+1h",
    input: (id, parsed, usage) => ({
      id,
      scheduled_until: parseTime(requiredOption(parsed.values, "until", usage), "until"),
      ...notice(parsed),
    }),
  }),
  windowCommand({
    route: cancelMaintenanceRoute,
    action: "cancel",
    usage: "cancel ID [--body TEXT] [--no-notify]",
    summary: "Cancel a maintenance that has not completed; subscribers are told.",
    input: (id, parsed) => ({ id, ...notice(parsed) }),
  }),
];
