import { join } from "node:path";
import { type Deliveries, EMAIL_RETRY, WEBHOOK_RETRY } from "../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../core/notifications/email/channel.ts";
import { webhookMessagesFor } from "../../core/notifications/webhook/channel.ts";
import type { WebhookUrlPolicy } from "../../core/webhook-subscribers/url-policy.ts";
import { type MailTransportSettings, SMTP_CONNECTIONS } from "./mail-settings.ts";
import { emlTransport, smtpTransport } from "./mail-transports.ts";
import { resendTransport } from "./resend-transport.ts";
import { createWebhookTransport } from "./webhook-transport.ts";

export type { MailTransportSettings };

export type MailSettings = {
  /** `SMTP_URL`; without it (and without `transport`) mail is written to `<dataDir>/mail/*.eml`. */
  smtpUrl: string | undefined;
  /** How mail leaves (server/mail-config.ts); wins over `smtpUrl` when given. */
  transport?: MailTransportSettings | undefined;
  dataDir: string;
};

/** Where each channel may send: mail as above, webhooks within `webhookPolicy` (see core/webhook-subscribers/url-policy.ts). */
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
      transport: mailTransport(settings),
    },
    webhook: {
      channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor },
      transport: createWebhookTransport({ policy: settings.webhookPolicy }),
    },
  };
}

/** The mail transport the settings name: Resend's API, the SMTP pool, or `.eml` files. */
function mailTransport(settings: MailSettings) {
  const chosen: MailTransportSettings =
    settings.transport ??
    (settings.smtpUrl
      ? { kind: "smtp", url: settings.smtpUrl, maxConnections: SMTP_CONNECTIONS, ratePerSecond: undefined }
      : { kind: "files" });
  if (chosen.kind === "resend") return resendTransport(chosen);
  if (chosen.kind === "smtp") return smtpTransport(chosen.url, chosen);
  return emlTransport(mailDir(settings.dataDir));
}
