import { join } from "node:path";
import { type Deliveries, EMAIL_RETRY, WEBHOOK_RETRY } from "../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../core/notifications/email/channel.ts";
import { webhookMessagesFor } from "../../core/notifications/webhook/channel.ts";
import type { WebhookUrlPolicy } from "../../core/webhooks/url-policy.ts";
import { emlTransport, smtpTransport } from "./mail-transports.ts";
import { createWebhookTransport } from "./webhook-transport.ts";

export type MailSettings = {
  /** `SMTP_URL`; without it mail is written to `<dataDir>/mail/*.eml`. */
  smtpUrl: string | undefined;
  dataDir: string;
};

/** Where each channel may send: mail as above, webhooks within `webhookPolicy` (see core/webhooks/url-policy.ts). */
export type ChannelSettings = MailSettings & { webhookPolicy: WebhookUrlPolicy };

/** Where mail goes without SMTP_URL. */
export function mailDir(dataDir: string): string {
  return join(dataDir, "mail");
}

/** The channels the sender serves, one entry per channel: how a message is built and the transport that sends it. */
export function deliveryChannels(settings: ChannelSettings): Deliveries {
  return {
    email: {
      channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
      transport: settings.smtpUrl ? smtpTransport(settings.smtpUrl) : emlTransport(mailDir(settings.dataDir)),
    },
    webhook: {
      channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor },
      transport: createWebhookTransport({ policy: settings.webhookPolicy }),
    },
  };
}
