import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { SendResult, Transport } from "../../core/notifications/channel.ts";

import { SMTP_CONNECTIONS } from "./mail-settings.ts";

export { SMTP_CONNECTIONS };

/** How the SMTP pool is sized: SMTP_POOL_CONNECTIONS and SMTP_RATE_PER_SECOND (none: as fast as the server answers). */
export type SmtpPool = { maxConnections?: number; ratePerSecond?: number | undefined };

type SmtpError = Error & { responseCode?: number; response?: string; code?: string };

/** A failed send as the sender sees it: 5xx is permanent; 4xx, timeouts and dropped connections are retried. */
function failure(error: unknown): SendResult {
  const e = error as SmtpError;
  const code = typeof e?.responseCode === "number" ? e.responseCode : 0;
  const reply = e?.response ?? `${e?.code ?? "error"}: ${e?.message ?? String(error)}`;
  return { ok: false, permanent: code >= 500, reply };
}

/** nodemailer's pooled SMTP transport on `SMTP_URL` (e.g. `smtp://user:pass@host:587`, `smtps://…`). */
export function smtpTransport(smtpUrl: string, options: SmtpPool & { ignoreTLS?: boolean } = {}): Transport<"email"> {
  const connections = options.maxConnections ?? SMTP_CONNECTIONS;
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
    secure: url.protocol === "smtps:",
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    ...(options.ignoreTLS || url.searchParams.get("ignoreTLS") === "true" ? { ignoreTLS: true } : {}),
    pool: true,
    maxConnections: connections,
    maxMessages: Number.POSITIVE_INFINITY,
    // nodemailer's pool limit: at most `rateLimit` messages per `rateDelta` ms, across its connections.
    ...(options.ratePerSecond ? { rateDelta: 1000, rateLimit: options.ratePerSecond } : {}),
  });
  return {
    commitEvery: connections,
    async send(message) {
      try {
        const info = await transporter.sendMail(message);
        if (info.rejected.length > 0) return { ok: false, permanent: true, reply: info.response };
        return { ok: true, reply: info.response, messageId: info.messageId };
      } catch (error) {
        return failure(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/**
 * The embedded default without `SMTP_URL`: each mail, composed exactly as it would be sent, written
 * to `dir` as an `.eml` file (temp file + rename, so a reader never sees half a mail). A resend
 * overwrites the same file: its name comes from the Message-ID.
 */
export function emlTransport(dir: string): Transport<"email"> {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let made: Promise<unknown> | null = null;
  return {
    async send(message) {
      try {
        made ??= mkdir(dir, { recursive: true });
        await made;
        const info = await transporter.sendMail(message);
        const name = `${message.messageId.replace(/^<|>$/g, "").replace(/[^A-Za-z0-9._-]/g, "_")}.eml`;
        const file = join(dir, name);
        const temp = join(dir, `.${name}.${process.pid}.tmp`);
        await writeFile(temp, info.message);
        await rename(temp, file);
        return { ok: true, reply: `250 written to ${file}`, messageId: info.messageId };
      } catch (error) {
        return failure(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
