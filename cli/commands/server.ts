import { join } from "node:path";
import { loadConfig } from "../../server/config.ts";
import { openDatabase } from "../../server/database.ts";
import { runRunnerProcess } from "../../server/runner-process.ts";
import { runSendProcess } from "../../server/send-process.ts";
import { startHerald } from "../../server/start.ts";
import type { CliContext, CommandGroup } from "../command.ts";
import { initCommand } from "./init.ts";

async function start(ctx: CliContext): Promise<number> {
  const config = loadConfig();
  const herald = await startHerald(config);
  const mail = !config.sender
    ? { mode: "off" as const }
    : config.smtpUrl
      ? { mode: "smtp" as const, host: new URL(config.smtpUrl).host, from: config.mailFrom }
      : { mode: "folder" as const, folder: join(config.dataDir, "mail") };
  const started = {
    url: `${herald.url}/`,
    console: `${herald.url}/admin`,
    api: `${herald.url}/api/`,
    public_url: config.publicUrl,
    data: config.dataDir,
    mail,
    seeded: herald.seeded,
    admin_token: herald.createdToken?.token ?? null,
  };
  const lines = [
    "",
    `  Herald is running.`,
    `  Status page:  ${herald.url}/`,
    `  Console:      ${herald.url}/admin  (sign in with an API token)`,
    `  API:          ${herald.url}/api/  (OpenAPI: ${herald.url}/api/openapi.json)`,
    `  Public URL:   ${config.publicUrl}`,
    `  Data:         ${config.dataDir}`,
    !config.sender
      ? "  Mail:         not sent by this process (HERALD_SENDER=off; run `herald send`)"
      : config.smtpUrl
        ? `  Mail:         sent through ${new URL(config.smtpUrl).host} (SMTP_URL) from ${config.mailFrom}`
        : `  Mail:         written to ${join(config.dataDir, "mail")}/ (set SMTP_URL to send)`,
  ];
  if (herald.seeded)
    lines.push("  Created a demo page with a few components; change them in the console or through the API.");
  if (herald.createdToken) {
    lines.push("", `  Admin API token (shown once, keep it safe):`, `    ${herald.createdToken.token}`);
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  // --json: one line a supervisor can parse (the admin token too, when this start created it).
  ctx.print(started, () => lines.join("\n"));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  if (!ctx.json) console.log("Stopping Herald…");
  await herald.stop();
  if (!ctx.json) console.log("Stopped.");
  return 0;
}

const single = (name: string, summary: string, run: (ctx: CliContext) => Promise<number>): CommandGroup => ({
  name,
  summary,
  commands: [{ name: "", usage: name, summary, run }],
});

/** Commands that run Herald itself on this machine (no API token: they use DATABASE_URL and HERALD_DATA). */
export const serverGroups: CommandGroup[] = [
  single("start", "Run the API, job runner, notification sender and site in one process (npm start).", start),
  single(
    "runner",
    "Render the site, send notifications and run the scheduler, with no HTTP API (the split layout: a Worker serves the API).",
    (ctx) => runRunnerProcess(loadConfig(), ctx.json),
  ),
  single(
    "send",
    "Run only the notification sender (with HERALD_SENDER=off on `herald start`, or elsewhere on the same database).",
    () => runSendProcess(loadConfig()),
  ),
  { name: "init", summary: initCommand.summary, commands: [initCommand] },
  single(
    "migrate",
    "Apply the database migrations (schema only; `herald init` also sets up the page).",
    async (ctx) => {
      const db = await openDatabase(loadConfig());
      db.$client.close();
      ctx.print({ up_to_date: true }, () => "Database is up to date.");
      return 0;
    },
  ),
];
