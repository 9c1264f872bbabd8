import { createHash } from "node:crypto";
import { type CreateBatchEmailOptions, Resend } from "resend";
import type { EmailMessage, SendResult, Transport } from "../../core/notifications/channel.ts";
import { MailBatches } from "./mail-batches.ts";

/** Resend's documented limit of mails per `POST /emails/batch`. */
export const RESEND_BATCH_SIZE = 100;

export type ResendSettings = {
  apiKey: string;
  /** RESEND_API_URL: `https://api.resend.com` unless a test points it at its stand-in. */
  apiUrl: string;
  /** MAIL_CONCURRENCY: batch requests in flight at once. */
  concurrency: number;
  /** How long a part-filled batch waits for more mail (ms; 100): a lone mail goes that much later, a fan-out in full batches. */
  lingerMs?: number;
  /** Deadline of one request (ms): a hung connection is retried like a 5xx. */
  timeoutMs?: number;
};

type BatchAnswer = { data?: { id: string }[]; errors?: { index: number; message: string }[] };

/**
 * Mail through Resend's HTTP API (its official SDK, pointed at `apiUrl`), 100 mails per batch request
 * with `x-batch-validation: permissive`, so one invalid mail fails alone. Each batch carries an
 * idempotency key made from its mails' Message-IDs: a request retried after a lost answer is not sent twice.
 */
export function resendTransport(settings: ResendSettings): Transport<"email"> {
  const client = new Resend(settings.apiKey, { baseUrl: settings.apiUrl.replace(/\/+$/, "") });
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const batches = new MailBatches(
    async (messages) => {
      const { data, error } = await client.batch.send(messages.map(resendEmail), {
        batchValidation: "permissive",
        idempotencyKey: idempotencyKey(messages),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) return messages.map(() => requestRefused(error));
      return perMail(messages.length, data as BatchAnswer);
    },
    { size: RESEND_BATCH_SIZE, concurrency: settings.concurrency, lingerMs: settings.lingerMs ?? 100 },
  );
  return {
    // Enough in flight to keep every request full and the next batch filling; more only holds memory.
    inFlight: RESEND_BATCH_SIZE * (settings.concurrency + 1),
    // A batch's answers come together: recorded together.
    commitEvery: RESEND_BATCH_SIZE,
    send: (message) => batches.send(message),
    close: () => batches.close(),
  };
}

/**
 * A whole request refused says nothing about any one subscriber: retried with the channel's backoff
 * (a 429, a 5xx, a network error, but also a bad API key an operator may fix), and after the last
 * attempt failed without counting towards anyone's quarantine.
 */
function requestRefused(error: { statusCode: number | null; name: string; message: string }): SendResult {
  return { ok: false, permanent: false, reply: `${error.statusCode ?? "network"} ${error.name}: ${error.message}` };
}

/** One result per mail: permissive mode lists the refused ones by index and returns the ids of the rest in order. */
function perMail(count: number, answer: BatchAnswer): SendResult[] {
  const refused = new Map((answer.errors ?? []).map((e) => [e.index, e.message]));
  const ids = [...(answer.data ?? [])];
  return Array.from({ length: count }, (_, index): SendResult => {
    const message = refused.get(index);
    // The mail itself was refused (an invalid address): it would be refused again.
    if (message !== undefined) return { ok: false, permanent: true, reply: `422 validation_error: ${message}` };
    const id = ids.shift()?.id;
    if (!id) return { ok: false, permanent: false, reply: "the provider returned no id for this mail" };
    return { ok: true, reply: `200 accepted by Resend as ${id}`, messageId: id };
  });
}

function idempotencyKey(messages: EmailMessage[]): string {
  const hash = createHash("sha256");
  for (const m of messages) hash.update(`${m.messageId}\n`);
  return `herald-${hash.digest("base64url")}`;
}

/** A mail as Resend's batch endpoint takes it; the threading headers go as custom headers. */
export function resendEmail(message: EmailMessage): CreateBatchEmailOptions {
  const headers: Record<string, string> = { ...textHeaders(message.headers), "Message-ID": message.messageId };
  if (typeof message.inReplyTo === "string") headers["In-Reply-To"] = message.inReplyTo;
  if (typeof message.references === "string") headers.References = message.references;
  return {
    from: addressText(message.from),
    to: [addressText(message.to)],
    subject: String(message.subject ?? ""),
    html: String(message.html ?? ""),
    text: String(message.text ?? ""),
    headers,
  };
}

function textHeaders(headers: EmailMessage["headers"]): Record<string, string> {
  if (!headers || Array.isArray(headers)) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === "string") out[name] = value;
  return out;
}

/** `"Name" <address>` (the name quoted, as RFC 5322 allows any text in a quoted phrase), or the bare address. */
function addressText(address: EmailMessage["from"] | EmailMessage["to"]): string {
  const one = Array.isArray(address) ? address[0] : address;
  if (!one) throw new Error("a mail needs its address");
  if (typeof one === "string") return one;
  if (!("address" in one) || typeof one.address !== "string") throw new Error("a mail needs its address");
  const name = "name" in one && typeof one.name === "string" ? one.name : "";
  return name ? `"${name.replace(/["\\]/g, "\\$&")}" <${one.address}>` : one.address;
}
