import { join, resolve } from "node:path";
import type { ActionContext } from "../core/actions/context.ts";
import { type OidcConfig, oidcConfigFromEnv } from "../core/people/sso/config.ts";
import { settingsFromEnv } from "../core/scheduler/settings.ts";
import type { PublishSettings } from "../jobs/publish/settings.ts";
import { RUNNER_TIMINGS } from "../jobs/runner-timings.ts";
import { type MailConfig, mailConfigFromEnv } from "./mail-config.ts";
import { publishFromEnv } from "./publish-config.ts";

export type NodeConfig = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  publicUrl: string;
  /** Whether PUBLIC_URL was set: then it wins over the URL in the page settings at every start. */
  publicUrlSet: boolean;
  /**
   * PUBLIC_API_URL: the API's public address when the static site is hosted apart from it (the split layout);
   * when set it is kept in the page settings at every start, where the runner's mail and pages and the Worker read it.
   */
  publicApiUrl: string | undefined;
  /** DATABASE_URL is not a local file (Turso, sqld): HERALD_SECRET is then required. */
  databaseRemote: boolean;
  /** HERALD_RUNNER_PORT: `herald runner` answers GET /healthz there (for a container's health check); unset: no port. */
  runnerPort: number | undefined;
  adminToken: string | undefined;
  pageName: string;
  /** HERALD_FRAME_ANCESTORS: origins allowed to frame the pages (CSP frame-ancestors); none by default. */
  frameAncestors: string[];
  /** HERALD_LOG_RENDERS=1 prints one line per render job: what publishing costs. */
  logRenders: boolean;
  /** HERALD_BACKUP_EVERY: milliseconds between scheduled backups; 0 turns them off. */
  backupEveryMs: number;
  /** HERALD_BACKUP_KEEP: how many verified backups pruning keeps. */
  backupKeep: number;
  /** Where scheduled backups go: `$HERALD_DATA/backups`. */
  backupDir: string;
  /** SMTP_URL (`smtp://user:pass@host:587`, `smtps://…`); unset: mail is written to `$HERALD_DATA/mail/*.eml`. */
  smtpUrl: string | undefined;
  /** How mail leaves (MAIL_TRANSPORT, SMTP pool, Resend), the provider's webhook secret, how long delivery rows are kept: server/mail-config.ts. */
  mail: MailConfig;
  /** MAIL_FROM: the sender address of every mail. */
  mailFrom: string;
  /** HERALD_SENDER=off: this process does not send notifications (a separate `herald send` does). */
  sender: boolean;
  /**
   * `herald send`'s lock: HERALD_SENDER_HEARTBEAT_MS / HERALD_SENDER_TAKEOVER_MS tune it (tests restart senders
   * often), HERALD_SENDER_POLL_MS how often it looks for work; each falls back to its default unless a positive number.
   */
  senderTimings: { heartbeatMs: number; takeoverMs: number; pollMs: number };
  /**
   * The job runner's heartbeat (its render lease and its job leases) and the silence after which another
   * runner takes over: HERALD_RUNNER_HEARTBEAT_MS (2000) and HERALD_RUNNER_TAKEOVER_MS (10000).
   */
  runnerTimings: { heartbeatMs: number; takeoverMs: number };
  /**
   * HERALD_SECRET: the key of signed subscriber links. Required when the database is remote (every process sharing
   * it must sign alike; a check value in the database catches a mismatch); unset on a local file, one is generated
   * once and kept in the database.
   */
  linkSecret: string | undefined;
  /** HERALD_PUBLISH, S3_*, HERALD_PUBLISH_HOOK: where each render is published (server/publish-config.ts). */
  publish: PublishSettings;
  /** HERALD_TEAM_EMAIL, HERALD_DEFAULT_CADENCE_MINUTES: who is reminded of an overdue update, the default promise. */
  settings?: ActionContext["settings"];
  /** OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: single sign-on through that OpenID provider; null: none. */
  sso: OidcConfig | null;
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h`, `6h`, `30m`, `1h30m`, `45s`; `0` or `off` is 0 (disabled). */
export function parseDuration(value: string, name: string): number {
  const text = value.trim().toLowerCase();
  if (text === "0" || text === "off") return 0;
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`${name} must be a duration like 24h, 6h or 30m (or 0/off), not "${value}".`);
  }
  return parts.reduce((ms, [, amount, unit]) => ms + Number(amount) * (DURATION_UNITS[unit ?? ""] ?? 0), 0);
}

/** Whether a libSQL URL is a database on this machine (a file or memory), not a server. */
export function isLocalDatabase(url: string): boolean {
  return url.startsWith("file:") || url === ":memory:";
}

/** `value` as an absolute http(s) URL without trailing slashes, or an error naming `name`. */
export function absoluteHttpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute URL like https://api.example.com, not "${value}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`${name} must be an http(s) URL, not "${value}".`);
  return value.replace(/\/+$/, "");
}

function optionalPort(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, not "${value}".`);
  return port;
}

function positiveMs(value: string | undefined, fallback: number): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

/** Configuration from the environment, with defaults that run the whole system on one machine. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const dataDir = resolve(env.HERALD_DATA ?? ".herald");
  const adminToken = env.HERALD_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 24) {
    throw new Error("HERALD_ADMIN_TOKEN must be at least 24 characters: it is a password to the whole API.");
  }
  const frameAncestors = (env.HERALD_FRAME_ANCESTORS ?? "").split(/[\s,]+/).filter((s) => s !== "");
  for (const source of frameAncestors) {
    if (!/^('self'|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?)$/i.test(source))
      throw new Error(`HERALD_FRAME_ANCESTORS lists origins like https://example.com or 'self', not "${source}".`);
  }
  if (env.HERALD_SECRET && env.HERALD_SECRET.length < 32) {
    throw new Error("HERALD_SECRET must be at least 32 characters: it signs every subscriber's links.");
  }
  const runnerTimings = {
    heartbeatMs: positiveMs(env.HERALD_RUNNER_HEARTBEAT_MS, RUNNER_TIMINGS.heartbeatMs),
    takeoverMs: positiveMs(env.HERALD_RUNNER_TAKEOVER_MS, RUNNER_TIMINGS.takeoverMs),
  };
  if (runnerTimings.takeoverMs < 2 * runnerTimings.heartbeatMs)
    throw new Error(
      `HERALD_RUNNER_TAKEOVER_MS (${runnerTimings.takeoverMs}) must be at least twice HERALD_RUNNER_HEARTBEAT_MS (${runnerTimings.heartbeatMs}): a live runner would otherwise lose its render lease between two heartbeats.`,
    );
  const backupKeep = Number(env.HERALD_BACKUP_KEEP ?? 7);
  if (!Number.isInteger(backupKeep) || backupKeep < 1)
    throw new Error(`HERALD_BACKUP_KEEP must be a whole number of at least 1, not "${env.HERALD_BACKUP_KEEP}".`);
  const databaseUrl = env.DATABASE_URL || `file:${resolve(dataDir, "herald.db")}`;
  return {
    port,
    host: env.HOST ?? "127.0.0.1",
    dataDir,
    databaseUrl,
    databaseRemote: !isLocalDatabase(databaseUrl),
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ""),
    publicUrlSet: Boolean(env.PUBLIC_URL),
    publicApiUrl: env.PUBLIC_API_URL ? absoluteHttpUrl(env.PUBLIC_API_URL, "PUBLIC_API_URL") : undefined,
    runnerPort: optionalPort(env.HERALD_RUNNER_PORT, "HERALD_RUNNER_PORT"),
    adminToken,
    pageName: env.HERALD_PAGE_NAME ?? "Herald Status",
    frameAncestors,
    logRenders: env.HERALD_LOG_RENDERS === "1",
    backupEveryMs: parseDuration(env.HERALD_BACKUP_EVERY ?? "24h", "HERALD_BACKUP_EVERY"),
    backupKeep,
    backupDir: join(dataDir, "backups"),
    smtpUrl: env.SMTP_URL || undefined,
    mail: mailConfigFromEnv(env, parseDuration),
    sender: env.HERALD_SENDER !== "off" && env.HERALD_SENDER !== "0",
    senderTimings: {
      heartbeatMs: positiveMs(env.HERALD_SENDER_HEARTBEAT_MS, 5_000),
      takeoverMs: positiveMs(env.HERALD_SENDER_TAKEOVER_MS, 30_000),
      pollMs: positiveMs(env.HERALD_SENDER_POLL_MS, 500),
    },
    runnerTimings,
    mailFrom: env.MAIL_FROM || `Herald Status <status@${new URL(env.PUBLIC_URL || "http://localhost").hostname}>`,
    linkSecret: env.HERALD_SECRET || undefined,
    publish: publishFromEnv(env),
    settings: settingsFromEnv(env),
    sso: oidcConfigFromEnv(env),
  };
}
