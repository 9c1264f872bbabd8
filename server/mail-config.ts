import { type MailTransportSettings, SMTP_CONNECTIONS } from "../jobs/notify/mail-settings.ts";

/** Resend's API, unless RESEND_API_URL points elsewhere (a test's stand-in, a proxy). */
export const RESEND_API_URL = "https://api.resend.com";

export type MailConfig = {
  /** How mail leaves: `.eml` files (no SMTP_URL, no MAIL_TRANSPORT), SMTP, or the Resend HTTP API. */
  transport: MailTransportSettings;
  /** RESEND_WEBHOOK_SECRET (`whsec_…`): verifies the provider's bounce and complaint webhooks; unset, the endpoint refuses all. */
  webhookSecret: string | undefined;
  /** DELIVERY_RETENTION: how long sent and failed delivery rows are kept (ms); 0 keeps them for ever. */
  deliveryRetentionMs: number;
};

/** A whole number of at least 1 from `value`, else `fallback`; anything else set is a clear error. */
function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${value}".`);
  return n;
}

/**
 * The mail settings of the environment (read once, by `loadConfig`): MAIL_TRANSPORT (`smtp`, `resend`;
 * by default `smtp` with SMTP_URL, else files), SMTP_URL, SMTP_POOL_CONNECTIONS, SMTP_RATE_PER_SECOND,
 * RESEND_API_KEY, RESEND_API_URL, MAIL_CONCURRENCY, RESEND_WEBHOOK_SECRET, DELIVERY_RETENTION.
 */
export function mailConfigFromEnv(
  env: NodeJS.ProcessEnv,
  parseDuration: (value: string, name: string) => number,
): MailConfig {
  const smtpUrl = env.SMTP_URL || undefined;
  const kind = env.MAIL_TRANSPORT || (smtpUrl ? "smtp" : "files");
  const webhookSecret = env.RESEND_WEBHOOK_SECRET || undefined;
  if (webhookSecret !== undefined && !/^whsec_[A-Za-z0-9+/=]{16,}$/.test(webhookSecret))
    throw new Error("RESEND_WEBHOOK_SECRET must be the webhook's signing secret as Resend shows it (whsec_…).");
  const deliveryRetentionMs = parseDuration(env.DELIVERY_RETENTION ?? "30d", "DELIVERY_RETENTION");
  return { transport: transportOf(kind, env, smtpUrl), webhookSecret, deliveryRetentionMs };
}

function transportOf(kind: string, env: NodeJS.ProcessEnv, smtpUrl: string | undefined): MailTransportSettings {
  if (kind === "files") return { kind: "files" };
  if (kind === "smtp") {
    if (!smtpUrl) throw new Error("MAIL_TRANSPORT=smtp needs SMTP_URL (smtp://user:pass@host:587).");
    const rate = env.SMTP_RATE_PER_SECOND ? count(env.SMTP_RATE_PER_SECOND, "SMTP_RATE_PER_SECOND", 1) : undefined;
    return {
      kind: "smtp",
      url: smtpUrl,
      maxConnections: count(env.SMTP_POOL_CONNECTIONS, "SMTP_POOL_CONNECTIONS", SMTP_CONNECTIONS),
      ratePerSecond: rate,
    };
  }
  if (kind === "resend") {
    const apiKey = env.RESEND_API_KEY || "";
    if (apiKey === "") throw new Error("MAIL_TRANSPORT=resend needs RESEND_API_KEY (re_…).");
    const apiUrl = env.RESEND_API_URL || RESEND_API_URL;
    if (!/^https?:\/\//.test(apiUrl)) throw new Error(`RESEND_API_URL must be an http(s) URL, not "${apiUrl}".`);
    return { kind: "resend", apiKey, apiUrl, concurrency: count(env.MAIL_CONCURRENCY, "MAIL_CONCURRENCY", 2) };
  }
  throw new Error(`MAIL_TRANSPORT must be smtp or resend (or unset: files, or SMTP with SMTP_URL), not "${kind}".`);
}

/** What the start-up banner says about where mail goes (never a key). */
export function mailDestination(config: MailConfig, dataDir: string): string {
  const t = config.transport;
  if (t.kind === "resend") return `Resend's API at ${t.apiUrl} (${t.concurrency} batch requests at once)`;
  if (t.kind === "smtp") return `SMTP (${t.maxConnections} connections)`;
  return `mail written to ${dataDir}/mail/`;
}
