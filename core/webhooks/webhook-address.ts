import type { Role } from "../context.ts";

/** The part of a webhook URL anyone on the team may see: scheme and host (for chat services the rest is the credential). */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/** A webhook URL as a non-admin sees it, e.g. `https://hooks.slack.com/…`. */
export function maskedWebhookUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "…";
  }
}

/** A subscriber's address as `role` may see it: an email as it is, a webhook URL only to an admin. */
export function addressShownTo(role: Role, channel: string | null, address: string): string {
  return channel === "webhook" && role !== "admin" ? maskedWebhookUrl(address) : address;
}

/** Text that may quote a webhook URL (a server's reply), with the URL masked for a non-admin. */
export function textShownTo(
  role: Role,
  channel: string | null,
  address: string | null,
  text: string | null,
): string | null {
  if (text === null || address === null || channel !== "webhook" || role === "admin") return text;
  return text.split(address).join(maskedWebhookUrl(address));
}
