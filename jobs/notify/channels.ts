import { join } from "node:path";
import { type Deliveries, EMAIL_RETRY } from "../../core/notifications/channel.ts";
import { placeholderEmail } from "../../core/notifications/email/plain-text-placeholder.ts";
import { emlTransport, smtpTransport } from "./mail-transports.ts";

export type MailSettings = {
  /** `SMTP_URL`; without it mail is written to `<dataDir>/mail/*.eml`. */
  smtpUrl: string | undefined;
  dataDir: string;
};

/** Where mail goes without SMTP_URL. */
export function mailDir(dataDir: string): string {
  return join(dataDir, "mail");
}

/**
 * The channels the sender serves, one entry per channel: how a message is built and the transport
 * that sends it. Webhooks register here (helper "webhooks": `webhook: { channel, transport }`).
 */
export function deliveryChannels(settings: MailSettings): Deliveries {
  return {
    email: {
      channel: { name: "email", retry: EMAIL_RETRY, forEvent: placeholderEmail },
      transport: settings.smtpUrl ? smtpTransport(settings.smtpUrl) : emlTransport(mailDir(settings.dataDir)),
    },
  };
}
