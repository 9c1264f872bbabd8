import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../api/node/config.ts";
import { MIGRATIONS_DIR, openDatabase, startHerald } from "../api/node/server.ts";
import { systemClock } from "../core/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../core/context.ts";
import { HeraldError } from "../core/errors.ts";
import type { AdminIncident } from "../core/public/admin.ts";
import type { V2Component } from "../core/public/statuspage.ts";
import { createToken } from "../core/tokens/create-token.ts";
import { listTokens } from "../core/tokens/list-tokens.ts";
import { revokeToken } from "../core/tokens/revoke-token.ts";
import { backupFileName, backupFormatFor, restoreBackupFile, verifyBackupFile, writeBackup } from "../jobs/backups.ts";
import { runSendProcess } from "../jobs/notify/send-process.ts";
import { ApiError, createApiClient } from "./api-client.ts";

const USAGE = `herald: run and drive a Herald status page

  herald start                                  run API, job runner and site (npm start)
  herald send                                   run only the notification sender (with HERALD_SENDER=off
                                                on \`herald start\`, or elsewhere on the same database)
  herald migrate                                apply database migrations
  herald token create --role R --name N         create an API token (admin|commander|viewer)
  herald token list                             list API tokens (never their secrets)
  herald token revoke ID                        revoke an API token at once
  herald backup [FILE] [--format sqlite|json]   write a snapshot of the database and verify it by restoring
                                                it into a scratch database (default: $HERALD_DATA/backups/;
                                                sqlite for a local file, json for any libSQL/Turso URL)
  herald restore FILE [--force]                 load a backup (either format) into an empty database;
                                                --force replaces the content of a non-empty one

  Talking to a running Herald (HERALD_URL, default http://localhost:8787; HERALD_TOKEN):
  herald status                                 overall status and open incidents
  herald components                             list components with ids
  herald incident open --name N [--status S] [--body B] [--component ID=STATUS ...] [--impact I]
  herald incident update ID [--status S] [--body B] [--component ID=STATUS ...]
  herald incident resolve ID [--body B]
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: "string" },
      name: { type: "string" },
      status: { type: "string" },
      body: { type: "string" },
      impact: { type: "string" },
      component: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
      format: { type: "string" },
      force: { type: "boolean" },
    },
  });
  const [command, sub, id] = positionals;
  if (!command || values.help) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 1;
  }
  const api = () =>
    createApiClient(process.env.HERALD_URL ?? `http://localhost:${process.env.PORT ?? 8787}`, process.env.HERALD_TOKEN);

  switch (command) {
    case "start":
      return start();
    case "send":
      return runSendProcess(loadConfig());
    case "migrate": {
      const db = await openDatabase(loadConfig());
      db.$client.close();
      console.log("Database is up to date.");
      return 0;
    }
    case "token": {
      if (sub === "create") return tokenCommand((ctx) => createTokenCommand(ctx, values.role, values.name));
      if (sub === "list") return tokenCommand(listTokensCommand);
      if (sub === "revoke") {
        if (!id) throw new ApiError("herald token revoke needs the token's id (see `herald token list`).");
        return tokenCommand((ctx) => revokeTokenCommand(ctx, id));
      }
      break;
    }
    case "backup":
      return backup(sub, values.format);
    case "restore":
      if (!sub) break;
      return restore(sub, values.force === true);
    case "status": {
      const summary = await api()<{
        status: { description: string };
        incidents: { id: string; name: string; status: string }[];
      }>("GET", "/api/v2/summary.json");
      console.log(summary.status.description);
      for (const incident of summary.incidents)
        console.log(`  ${incident.id}  ${incident.status.padEnd(13)} ${incident.name}`);
      return 0;
    }
    case "components": {
      const components = await api()<V2Component[]>("GET", "/api/components");
      for (const c of components)
        console.log(`${c.id}  ${c.status.padEnd(20)} ${c.group_id ? "  " : ""}${c.name}${c.group ? " (group)" : ""}`);
      return 0;
    }
    case "incident": {
      const components = parseComponents(values.component ?? []);
      const body = { status: values.status, body: values.body, components, impact: values.impact };
      let incident: AdminIncident;
      if (sub === "open") incident = await api()("POST", "/api/incidents", { name: values.name, ...body });
      else if (sub === "update" && id) incident = await api()("POST", `/api/incidents/${id}/updates`, body);
      else if (sub === "resolve" && id)
        incident = await api()("POST", `/api/incidents/${id}/updates`, { ...body, status: "resolved" });
      else break;
      console.log(`${incident.id}  ${incident.status}  ${incident.name}\n${incident.shortlink}`);
      return 0;
    }
  }
  process.stderr.write(`Unknown command: ${positionals.join(" ")}\n\n${USAGE}`);
  return 1;
}

/** Token commands write to the database directly (no running Herald needed), as the system actor. */
async function tokenCommand(run: (ctx: ActionContext) => Promise<void>): Promise<number> {
  const db = await openDatabase(loadConfig());
  try {
    await run({ db, clock: systemClock, actor: SYSTEM_ACTOR });
  } finally {
    db.$client.close();
  }
  return 0;
}

async function createTokenCommand(ctx: ActionContext, role: string | undefined, name: string | undefined) {
  const created = await createToken(ctx, { role, name });
  console.log(
    `Created ${created.role} token "${created.name}" (id ${created.id}). It is shown only once:\n\n  ${created.token}\n`,
  );
}

async function listTokensCommand(ctx: ActionContext) {
  const tokens = await listTokens(ctx);
  if (tokens.length === 0) console.log("No API tokens yet: `herald token create --role admin --name NAME`.");
  for (const t of tokens) {
    const state = t.revoked_at ? `revoked ${t.revoked_at}` : "active";
    const used = t.last_used_at ? `last used ${t.last_used_at}` : "never used";
    const origin = t.from_environment ? "  (HERALD_ADMIN_TOKEN)" : "";
    console.log(`${t.id}  ${t.role.padEnd(9)} ${state.padEnd(32)} ${used.padEnd(34)} ${t.name}${origin}`);
  }
}

async function revokeTokenCommand(ctx: ActionContext, id: string) {
  const token = await revokeToken(ctx, id);
  console.log(`Revoked ${token.role} token "${token.name}" (id ${token.id}) at ${token.revoked_at}.`);
}

function parseComponents(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const [componentId, status] = pair.split("=");
    if (!componentId || !status)
      throw new ApiError(`--component takes ID=STATUS, e.g. --component abc123def456=partial_outage (got "${pair}")`);
    result[componentId] = status;
  }
  return result;
}

async function backup(file: string | undefined, formatFlag: string | undefined): Promise<number> {
  const config = loadConfig();
  const format = backupFormatFor(file, config.databaseUrl, formatFlag);
  const path = resolve(file ?? join(config.backupDir, backupFileName(systemClock.now(), format)));
  const db = await openDatabase(config);
  try {
    const deps = { db, databaseUrl: config.databaseUrl, clock: systemClock, migrationsDir: MIGRATIONS_DIR };
    const written = await writeBackup(deps, path, format);
    const tables = Object.keys(written.tables).length;
    console.log(`Backed up ${written.rows} rows in ${tables} tables to ${path} (${format}, ${written.bytes} bytes).`);
    const error = await verifyBackupFile(path, written.tables, MIGRATIONS_DIR);
    if (error) {
      process.stderr.write(`herald: the backup did NOT verify: ${error}\n`);
      return 1;
    }
    console.log("Verified: restored into a scratch database, every table's row count and checksum match.");
    return 0;
  } finally {
    db.$client.close();
  }
}

async function restore(file: string, force: boolean): Promise<number> {
  const db = await openDatabase(loadConfig());
  try {
    const restored = await restoreBackupFile(db, resolve(file), { force });
    console.log(`Restored ${restored.rows} rows in ${restored.tables} tables from ${resolve(file)}.`);
    return 0;
  } finally {
    db.$client.close();
  }
}

async function start(): Promise<number> {
  const config = loadConfig();
  const herald = await startHerald(config);
  const lines = [
    "",
    `  Herald is running.`,
    `  Status page:  ${herald.url}/`,
    `  API:          ${herald.url}/api/  (OpenAPI: ${herald.url}/api/openapi.json)`,
    `  Public URL:   ${config.publicUrl}`,
    `  Data:         ${config.dataDir}`,
    !config.sender
      ? "  Mail:         not sent by this process (HERALD_SENDER=off; run `herald send`)"
      : config.smtpUrl
        ? `  Mail:         sent through ${new URL(config.smtpUrl).host} (SMTP_URL) from ${config.mailFrom}`
        : `  Mail:         written to ${join(config.dataDir, "mail")}/ (set SMTP_URL to send)`,
  ];
  if (herald.seeded) lines.push("  Created a demo page with a few components; change them through the API.");
  if (herald.createdToken) {
    lines.push("", `  Admin API token (shown once, keep it safe):`, `    ${herald.createdToken.token}`);
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  console.log("Stopping Herald…");
  await herald.stop();
  console.log("Stopped.");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ApiError || error instanceof HeraldError) process.stderr.write(`herald: ${error.message}\n`);
    else if (
      error instanceof Error &&
      error.name === "TypeError" &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      process.stderr.write(`herald: ${error.message}\n\n${USAGE}`);
    } else process.stderr.write(`herald: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
