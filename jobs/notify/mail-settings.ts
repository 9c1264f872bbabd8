/** Connections of the SMTP pool by default (SMTP_POOL_CONNECTIONS): each may repeat at most one accepted mail after a hard kill. */
export const SMTP_CONNECTIONS = 5;

/** How mail leaves this process (server/mail-config.ts reads it from the environment). */
export type MailTransportSettings =
  /** The embedded default: every mail written to `$HERALD_DATA/mail/*.eml`. */
  | { kind: "files" }
  /** nodemailer's SMTP pool: its connections and, when set, a rate limit across them. */
  | { kind: "smtp"; url: string; maxConnections: number; ratePerSecond: number | undefined }
  /** Resend's HTTP API in batches of 100, `concurrency` requests at once. */
  | { kind: "resend"; apiKey: string; apiUrl: string; concurrency: number };
