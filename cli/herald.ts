import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { HeraldError } from "../core/actions/errors.ts";
import { ApiError, createApiClient, UnreachableError } from "./api-client.ts";
import {
  type CliContext,
  type Command,
  type CommandGroup,
  commandHelp,
  GLOBAL_OPTIONS,
  groupHelp,
  type OptionSpec,
  type Parsed,
  table,
  UsageError,
} from "./command.ts";
import { alertRuleGroup } from "./commands/alert-rule.ts";
import { alertSourceGroup } from "./commands/alert-source.ts";
import { backupGroups } from "./commands/backup.ts";
import { componentGroup, componentsGroup } from "./commands/components.ts";
import { draftGroup } from "./commands/draft.ts";
import { incidentGroup } from "./commands/incident.ts";
import { checklistGroup, inventoryGroup } from "./commands/inventory.ts";
import { maintenanceGroup } from "./commands/maintenance.ts";
import { pageGroup } from "./commands/page.ts";
import { serverGroups } from "./commands/server.ts";
import { statusGroup } from "./commands/status.ts";
import { subscribersGroup } from "./commands/subscribers.ts";
import { templateGroup } from "./commands/template.ts";
import { tokenGroup } from "./commands/token.ts";
import { webhookGroup } from "./commands/webhook.ts";

const GROUPS: CommandGroup[] = [
  ...serverGroups,
  statusGroup,
  componentsGroup,
  componentGroup,
  incidentGroup,
  maintenanceGroup,
  draftGroup,
  templateGroup,
  inventoryGroup,
  checklistGroup,
  subscribersGroup,
  webhookGroup,
  alertSourceGroup,
  alertRuleGroup,
  pageGroup,
  tokenGroup,
  ...backupGroups,
];

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, usage: 1, refused: 2, unreachable: 3 } as const;

function overview(): string {
  const rows = GROUPS.flatMap((g) =>
    g.commands.map((c) => [`  herald ${commandPath(g, c)}`, c.summary.split("\n")[0] ?? ""]),
  );
  return [
    "herald: run and drive a Herald status page",
    "",
    table(rows),
    "",
    "Run `herald COMMAND --help` for a command's usage and options.",
    "Commands that talk to a running Herald use --url or HERALD_URL (default http://localhost:8787) and",
    "HERALD_TOKEN. Every command takes --json (print JSON) and --help.",
    "Exit codes: 0 done, 1 wrong usage or input, 2 Herald refused (the reason is printed), 3 Herald unreachable.",
    "",
  ].join("\n");
}

const commandPath = (group: CommandGroup, command: Command) => `${group.name}${command.name ? ` ${command.name}` : ""}`;

function parseOptions(group: CommandGroup, command: Command, args: string[]): Parsed {
  const specs: Record<string, OptionSpec> = { ...command.options, ...GLOBAL_OPTIONS };
  const options: ParseArgsOptionsConfig = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}\nRun \`herald ${commandPath(group, command)} --help\` for its options.`,
    );
  }
}

/** Picks the group and command from the leading words; the rest are the command's options and arguments. */
function findCommand(argv: string[]): { group: CommandGroup; command: Command | null; rest: string[] } {
  const [word = "", ...afterGroup] = argv;
  const group = GROUPS.find((g) => g.name === word);
  if (!group) throw new UsageError(`Unknown command "${word}".\n\n${overview()}`);
  const single = group.commands.find((c) => c.name === "");
  if (single) return { group, command: single, rest: afterGroup };
  const [sub, ...rest] = afterGroup;
  return { group, command: group.commands.find((c) => c.name === sub) ?? null, rest };
}

function createContext(parsed: Parsed): CliContext {
  const json = parsed.values.json === true;
  const url = typeof parsed.values.url === "string" ? parsed.values.url : process.env.HERALD_URL;
  return {
    json,
    remote: url !== undefined && url !== "",
    api: () => createApiClient(url ?? `http://localhost:${process.env.PORT ?? 8787}`, process.env.HERALD_TOKEN),
    print(data, human) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human(data)}\n`);
    },
  };
}

/** The API's (or a local action's) refusal, with its field errors named by the options that set them. */
function describeRefusal(error: ApiError | HeraldError, command: Command | null): string {
  const fields = error instanceof ApiError ? (error.problem?.errors ?? []) : error.fieldErrors;
  const name = (path: string) => {
    const [field = path, ...key] = path.split(".");
    const option = command?.fieldOptions?.[field];
    if (!option) return path;
    const keyed = key.length > 0 && command?.options?.[option.replace(/^--/, "")]?.keyed;
    return `${option}${keyed ? ` ${key.join(".")}` : ""} (${path})`;
  };
  // The field errors are listed one a line below, so the message's summary of them ("…: path: why; …") goes.
  const summaryAt = fields[0] ? error.message.indexOf(` ${fields[0].path}: `) : -1;
  const lines = [summaryAt === -1 ? error.message : error.message.slice(0, summaryAt)];
  for (const field of fields) lines.push(`  - ${name(field.path)}: ${field.message}`);
  if (error instanceof ApiError && error.status === 401)
    lines.push("Set HERALD_TOKEN to an API token (see `herald token create`).");
  return lines.join("\n");
}

/** `herald --url U --json status` reads as `herald status --url U --json`: global options may come first. */
function globalsLast(argv: string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--json" || arg.startsWith("--url=")) leading.push(arg);
    else if (arg === "--url" && i + 1 < argv.length) leading.push(arg, argv[++i] ?? "");
    else break;
  }
  return [...argv.slice(i), ...leading];
}

async function main(rawArgv: string[]): Promise<number> {
  const argv = globalsLast(rawArgv);
  if (argv.length === 0 || ["--help", "-h", "help"].includes(argv[0] ?? "")) {
    process.stdout.write(overview());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  let command: Command | null = null;
  try {
    const found = findCommand(argv);
    command = found.command;
    if (!command) {
      const asked = argv.slice(1).some((a) => a === "--help" || a === "-h");
      const sub = argv[1];
      if (asked || sub === undefined || sub.startsWith("-")) {
        process.stdout.write(groupHelp(found.group));
        return asked ? EXIT.ok : EXIT.usage;
      }
      throw new UsageError(`Unknown command "herald ${found.group.name} ${sub}".\n\n${groupHelp(found.group)}`);
    }
    const parsed = parseOptions(found.group, command, found.rest);
    if (parsed.values.help) {
      process.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    return (await command.run(createContext(parsed), parsed)) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`herald: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ApiError || error instanceof HeraldError) {
      process.stderr.write(`herald: ${describeRefusal(error, command)}\n`);
      return EXIT.refused;
    }
    if (error instanceof UnreachableError) {
      process.stderr.write(`herald: ${error.message}\n`);
      return EXIT.unreachable;
    }
    process.stderr.write(`herald: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
