import { isNull, sql } from "drizzle-orm";
import { EMAIL_RETRY, WEBHOOK_RETRY } from "../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../core/notifications/email/channel.ts";
import { webhookMessagesFor } from "../../core/notifications/webhook/channel.ts";
import { notificationEvents } from "../../db/schema.ts";
import { fanOut } from "../../jobs/notify/fan-out.ts";
import { smtpTransport } from "../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../jobs/notify/sender.ts";
import { createWebhookTransport } from "../../jobs/notify/webhook-transport.ts";
import type { TestApi } from "./api.ts";
import type { SmtpSink } from "./smtp-sink.ts";

/** A mail the sink accepted, as a test reads it. */
export type AcceptedMail = { to: string; subject: string; text: string; html: string };

/**
 * The runner's delivery half, in the test's process: fan out every event not yet fanned out, then let a real
 * sender (mail to the SMTP sink, webhooks over HTTP to loopback) send until nothing is queued.
 */
export type TestDelivery = {
  deliver(): Promise<void>;
  mails(): Promise<AcceptedMail[]>;
  stop(): Promise<void>;
};

export function testDelivery(
  api: TestApi,
  sink: SmtpSink,
  options: { timeoutMs?: number; advanceClockMs?: number } = {},
): TestDelivery {
  let sender: Sender | null = null;
  const start = () =>
    startSender({
      db: api.db,
      clock: api.clock,
      channels: {
        email: {
          channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
          transport: smtpTransport(sink.url),
        },
        webhook: {
          channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor },
          transport: createWebhookTransport({ policy: { allowPrivate: true }, timeoutMs: 2000 }),
        },
      },
      context: {
        db: api.db,
        clock: api.clock,
        publicUrl: "https://status.acme.test",
        linkSecret: api.linkSecret,
        mailFrom: "status@acme.test",
      },
      pollMs: 20,
      log: () => {},
    });
  return {
    async deliver() {
      const events = await api.db
        .select({ id: notificationEvents.id })
        .from(notificationEvents)
        .where(isNull(notificationEvents.fanoutDoneAt));
      for (const event of events) await fanOut(api.db, api.clock, event.id);
      sender ??= start();
      const deadline = Date.now() + (options.timeoutMs ?? 30_000);
      for (;;) {
        const [pending] = await api.db.all<{ n: number }>(
          sql`SELECT count(*) AS n FROM deliveries WHERE state IN ('queued', 'sending')`,
        );
        if (pending?.n === 0) return;
        if (Date.now() > deadline) throw new Error(`${pending?.n} deliveries still pending`);
        if (options.advanceClockMs) api.clock.advance(options.advanceClockMs);
        sender.wake();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async mails() {
      return (await sink.mails()).map((mail) => ({
        to: [mail.to ?? []]
          .flat()
          .map((address) => address.text)
          .join(", "),
        subject: mail.subject ?? "",
        text: mail.text ?? "",
        html: typeof mail.html === "string" ? mail.html : "",
      }));
    },
    async stop() {
      await sender?.stop();
      sender = null;
    },
  };
}
