import { systemClock } from "../../core/actions/clock.ts";
import { absoluteHttpUrl, loadConfig } from "../../server/config.ts";
import { type InitResult, initHerald } from "../../server/init.ts";
import { type CliContext, type Command, type Parsed, stringOption, UsageError } from "../command.ts";

const USAGE = "init [--database-url URL] [--name NAME] [--public-url URL] [--api-url URL]";

/** The database as it may be shown: no user name, password or query (an auth token can ride there). */
function shownDatabase(url: string): string {
  if (url.startsWith("file:")) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(the database at DATABASE_URL)";
  }
}

function urlOption(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return absoluteHttpUrl(value, `--${option}`);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function describe(result: InitResult, database: string, environmentToken: boolean): string {
  if (!result.created)
    return [
      `Herald: ${database} was already set up (page "${result.page.name}", ${result.page.url}).`,
      "Brought its schema up to date; no new token was made (create one with `herald token create`).",
    ].join("\n");
  const lines = [
    `Herald: set up ${database}.`,
    `  Page:  ${result.page.name}  ${result.page.url}`,
    `  API:   ${result.page.api_url ?? "the page's own origin (set --api-url when a Worker serves it)"}`,
  ];
  lines.push(
    ...(result.adminToken
      ? ["", "  Admin API token (shown once, keep it safe):", `    ${result.adminToken.token}`]
      : environmentToken
        ? ["", "  Admin API token: HERALD_ADMIN_TOKEN's value."]
        : ["", "  No admin token made: the database already has one (`herald token create` makes another)."]),
  );
  return lines.join("\n");
}

async function init(ctx: CliContext, parsed: Parsed): Promise<number> {
  const { values } = parsed;
  if (parsed.positionals.length > 0)
    throw new UsageError(`herald init takes no arguments (got "${parsed.positionals.join(" ")}"): herald ${USAGE}`);
  const databaseUrl = stringOption(values, "database-url");
  const config = loadConfig({ ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const pageUrl = urlOption(stringOption(values, "public-url"), "public-url");
  if (!pageUrl && !config.publicUrlSet && config.databaseRemote)
    throw new UsageError(
      "Give the page's public address with --public-url https://status.example.com (or PUBLIC_URL): mail and feeds link to it.",
    );
  const name = stringOption(values, "name") ?? config.pageName;
  if (name.trim() === "") throw new UsageError("--name must not be empty.");
  const result = await initHerald(
    config,
    {
      name: name.trim(),
      url: pageUrl ?? config.publicUrl,
      apiUrl: urlOption(stringOption(values, "api-url"), "api-url") ?? config.publicApiUrl,
    },
    systemClock,
  );
  ctx.print(
    {
      created: result.created,
      already_set_up: !result.created,
      page: result.page,
      admin_token: result.adminToken?.token ?? null,
    },
    () => describe(result, shownDatabase(config.databaseUrl), config.adminToken !== undefined),
  );
  return 0;
}

export const initCommand: Command = {
  name: "",
  usage: USAGE,
  summary:
    "Set up an empty database (local or remote): schema, page, stock templates, first admin token; no demo data.",
  options: {
    "database-url": {
      type: "string",
      value: "URL",
      description:
        "the database (default $DATABASE_URL, else the local file under $HERALD_DATA); auth token: $DATABASE_AUTH_TOKEN",
    },
    name: {
      type: "string",
      value: "NAME",
      description: "the page's name (default $HERALD_PAGE_NAME, else Herald Status)",
    },
    "public-url": {
      type: "string",
      value: "URL",
      description: "the page's public address (default $PUBLIC_URL; required for a remote database)",
    },
    "api-url": {
      type: "string",
      value: "URL",
      description: "the API's public address when it is not the page's (a Worker); default $PUBLIC_API_URL",
    },
  },
  notes: [
    "On a database set up before, init only applies new migrations and says so (exit 0, no new token).",
    "A remote database (libsql://, http://) needs HERALD_SECRET (32+ characters), the same in every Herald process.",
    "",
    "Example:",
    "  DATABASE_URL=libsql://status-acme.turso.io DATABASE_AUTH_TOKEN=… HERALD_SECRET=… \\",
    "    herald init --name Acme --public-url https://status.acme.com --api-url https://api.status.acme.com",
  ].join("\n"),
  run: init,
};
