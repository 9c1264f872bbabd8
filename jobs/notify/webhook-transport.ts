import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { WebhookRequest } from "../../core/notifications/webhook/request.ts";
import {
  isPublicAddress,
  type WebhookUrlPolicy,
  webhookUrlProblem,
} from "../../core/webhook-subscribers/url-policy.ts";

/** What a transport reports (the `SendResult` of core/notifications/channel.ts). */
export type WebhookSendResult =
  | { ok: true; reply: string; messageId: string }
  | { ok: false; permanent: boolean; reply: string };

export type WebhookTransportOptions = {
  policy: WebhookUrlPolicy;
  /** The whole exchange, connect to last byte read (default 10 s). */
  timeoutMs?: number;
  /** How much of a reply body is read and kept (default 4 KiB). */
  maxReplyBytes?: number;
};

/**
 * Sends webhook POSTs from Node (Workers never send webhooks; the Node runner does). SSRF defence at
 * send time: the URL is checked again (scheme, port, literal addresses), and every address DNS returns
 * for a name is checked by the agents' `lookup` before connecting, so a name that resolves, or rebinds,
 * to a private address is refused. Redirects are not followed; at most a few KiB of a reply are read.
 */
export function createWebhookTransport(options: WebhookTransportOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxReplyBytes = options.maxReplyBytes ?? 4096;
  const lookup = guardedLookup(options.policy);
  // With a `timeout` of its own the agent honours a receiver's `Keep-Alive: timeout=N` (closing an idle
  // connection a second before it); without one it reuses connections the receiver has closed: ECONNRESET.
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 10, lookup, timeout: timeoutMs }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 10, lookup, timeout: timeoutMs }),
  };
  const inFlight = new Set<Promise<WebhookSendResult>>();

  function post(message: WebhookRequest): Promise<WebhookSendResult> {
    const refused = webhookUrlProblem(message.url, options.policy);
    if (refused) return Promise.resolve({ ok: false, permanent: true, reply: `refused: the URL ${refused}` });
    const url = new URL(message.url);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<WebhookSendResult>((resolve) => {
      let settled = false;
      const finish = (result: WebhookSendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const request = send(
        url,
        {
          method: "POST",
          agent: url.protocol === "https:" ? agents.https : agents.http,
          lookup,
          headers: { ...message.headers, "content-length": String(Buffer.byteLength(message.body)) },
        },
        (response) => {
          readSome(response, maxReplyBytes).then((text) => finish(classify(response.statusCode ?? 0, text)));
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      request.on("error", (error: NodeJS.ErrnoException) => {
        const privateAnswer = error.code === PRIVATE_ANSWER;
        finish({
          ok: false,
          permanent: privateAnswer,
          reply: `${privateAnswer ? "refused" : "network error"}: ${error.message}`,
        });
      });
      request.end(message.body);
    }).then((result) => (result.ok ? { ...result, messageId: message.messageId } : result));
  }

  return {
    send(message: WebhookRequest): Promise<WebhookSendResult> {
      const sending = post(message);
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
      return sending;
    },
    async close(): Promise<void> {
      await Promise.allSettled([...inFlight]);
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type WebhookTransport = ReturnType<typeof createWebhookTransport>;

/** 2xx: delivered. 408, 429 and 5xx: try again later. Any other answer (4xx, a redirect): this delivery fails for good. */
export function classify(status: number, body: string): WebhookSendResult {
  const reply = `HTTP ${status}${body ? ` ${body.slice(0, 200)}` : ""}`;
  if (status >= 200 && status < 300) return { ok: true, reply, messageId: "" };
  if (status === 408 || status === 429 || status >= 500) return { ok: false, permanent: false, reply };
  if (status >= 300 && status < 400)
    return { ok: false, permanent: true, reply: `${reply} (redirects are not followed)` };
  return { ok: false, permanent: true, reply };
}

/** At most `limit` bytes of the body, as one line of text; the rest is not read (the socket is dropped). */
function readSome(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      const text = Buffer.concat(chunks).subarray(0, limit).toString("utf8");
      resolve(
        text
          .replace(/\s+/g, " ")
          .replace(/[^\x20-\x7e\u00a0-\uffff]/g, "")
          .trim(),
      );
    };
    response.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        response.destroy();
        done();
      }
    });
    response.on("end", done);
    response.on("error", done);
    response.on("close", done);
  });
}

const PRIVATE_ANSWER = "ERR_HERALD_PRIVATE_ADDRESS";

/** A `dns.lookup` that refuses a name when any address it resolves to is not public (unless allowed). */
export function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = policy.allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused || addresses.length === 0) {
        const why = refused
          ? `${hostname} resolves to ${refused.address}, a loopback, private or reserved address`
          : `${hostname} has no address`;
        return callback(Object.assign(new Error(why), { code: refused ? PRIVATE_ANSWER : "ENOTFOUND" }), "", 0);
      }
      if (lookupOptions.all) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first?.address ?? "", first?.family ?? 4);
    });
  };
}
