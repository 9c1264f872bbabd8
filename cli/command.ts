import type { Api } from "./api-client.ts";

/** Wrong use of the command (an unknown option, a missing argument, a bad value): exit code 1. */
export class UsageError extends Error {
  override name = "UsageError";
}

export type OptionSpec = {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in the help, e.g. `NAME`. */
  value?: string;
  /** Takes `KEY=VALUE` into an API map, so the API's error on `field.KEY` names `--option KEY`. */
  keyed?: boolean;
  description: string;
};

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
export type Parsed = { values: Values; positionals: string[] };

export type CliContext = {
  /** `--json`: print the API's JSON answer instead of text. */
  json: boolean;
  /** Whether Herald's address was given (`--url` or `HERALD_URL`): a command that can also work on the local database then uses the API. */
  remote: boolean;
  api(): Api;
  /** Prints `data` as JSON with `--json`, else the text `human` makes of it. */
  print<T>(data: T, human: (data: T) => string): void;
};

export type Command = {
  /** The subcommand's word (`open`); empty for a group that is one command (`herald status`). */
  name: string;
  /** How it is called, after `herald`: `incident open --name NAME [options]`. */
  usage: string;
  summary: string;
  options?: Record<string, OptionSpec>;
  /** Which option sets each API field, so the API's field errors name the option the user typed. */
  fieldOptions?: Record<string, string>;
  /** More help after the options: examples, accepted values. */
  notes?: string;
  run(ctx: CliContext, parsed: Parsed): Promise<number | undefined>;
};

export type CommandGroup = { name: string; summary: string; commands: Command[] };

/** A command that GETs one API document and prints it (`text` for people, the JSON with `--json`). */
export function readCommand<T>(spec: {
  name: string;
  usage: string;
  summary: string;
  path: string;
  text(data: T): string;
}): Command {
  return {
    name: spec.name,
    usage: spec.usage,
    summary: spec.summary,
    async run(ctx) {
      ctx.print(await ctx.api().call<T>("GET", spec.path), spec.text);
      return 0;
    },
  };
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: {
    type: "string",
    value: "URL",
    description: "Herald's address (default $HERALD_URL, else http://localhost:8787)",
  },
  json: { type: "boolean", description: "print the API's JSON answer (for scripts)" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function requiredOption(values: Values, name: string, usage: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value.trim() === "") throw new UsageError(`--${name} is required: herald ${usage}`);
  return value;
}

export function listOption(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A repeatable `--var KEY=VALUE` (the value may hold `=`) → `{ KEY: VALUE }`; undefined when none is given. */
export function keyValueOption(values: Values, name: string): Record<string, string> | undefined {
  const pairs = listOption(values, name);
  if (pairs.length === 0) return undefined;
  const entries: [string, string][] = [];
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0)
      throw new UsageError(`--${name} takes KEY=VALUE, e.g. --${name} "who=customers in Europe" (got "${pair}").`);
    entries.push([pair.slice(0, at).trim(), pair.slice(at + 1)]);
  }
  // Own properties, also for a key such as __proto__ (an assignment would drop it): the API then names it.
  return Object.fromEntries(entries);
}

export function booleanOption(values: Values, name: string): boolean | undefined {
  const value = values[name];
  return typeof value === "boolean" ? value : undefined;
}

export function requiredPositional(parsed: Parsed, index: number, what: string, usage: string): string {
  const value = parsed.positionals[index];
  if (!value) throw new UsageError(`Give ${what}: herald ${usage}`);
  return value;
}

/** `30m`, `2h`, `1h30m`, `90` (minutes) → whole minutes. */
export function parseMinutes(text: string, option: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+)(d|h|m)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new UsageError(`--${option} takes a duration like 30m, 2h or 1h30m, not "${text}".`);
  }
  const unit = { d: 1440, h: 60, m: 1 } as const;
  return parts.reduce((sum, [, amount, u]) => sum + Number(amount) * unit[u as keyof typeof unit], 0);
}

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - [...cell].length)))
        .join("  "),
    )
    .join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: herald ${command.usage}`, "", command.summary, "", "Options:"];
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = spec.type === "boolean" && name === "notify" ? "--notify, --no-notify" : `--${name}`;
    const short = spec.short ? `-${spec.short}, ` : "";
    const value = spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : "";
    return [`  ${short}${flag}${value}`, `${spec.description}${spec.multiple ? " (repeatable)" : ""}`];
  });
  lines.push(table(rows));
  if (command.notes) lines.push("", command.notes);
  return `${lines.join("\n")}\n`;
}

/** Past this, a usage line and its summary no longer fit side by side in a terminal: each summary goes below. */
const SIDE_BY_SIDE_USAGE = 56;

export function groupHelp(group: CommandGroup): string {
  const rows = group.commands.map((c) => [`  herald ${c.usage}`, c.summary]);
  const wide = rows.some(([usage]) => (usage ?? "").length > SIDE_BY_SIDE_USAGE);
  const listing = wide ? rows.map(([usage, summary]) => `${usage}\n      ${summary}`).join("\n") : table(rows);
  return `${group.summary}\n\n${listing}\n\nRun \`herald ${group.name} COMMAND --help\` for a command's options.\n`;
}
