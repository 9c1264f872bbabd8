import type { Role } from "../actions/context.ts";

/**
 * The one rule for subscriber addresses and webhook URLs: only an admin sees them in full, on every
 * surface (API, console, audit log, delivery log, import report, CLI). Everyone else sees enough to tell
 * them apart, never enough to mail a subscriber or post to a webhook (a Slack, Discord or Teams URL is
 * its own credential): `jane@example.com` → `j•••@example.com`, `https://hooks.slack.com/services/…` →
 * `https://hooks.slack.com/…`.
 */
export function seesAddresses(role: Role): boolean {
  return role === "admin";
}

/** What anyone may see of something that is neither an email address nor a URL. */
const HIDDEN = "•••";

/** The part of a webhook URL anyone on the team may see: its host, with the port (empty when unparseable). */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/** `https://hooks.slack.com/services/T0/B0/x` → `https://hooks.slack.com/…` (scheme, host and port). */
export function maskedWebhookUrl(url: string): string {
  const host = webhookHost(url);
  return host === "" ? HIDDEN : `${new URL(url).protocol}//${host}/…`;
}

/** `jane.doe@example.com` → `j•••@example.com`. */
export function maskedEmail(address: string): string {
  const at = address.lastIndexOf("@");
  return at > 0 ? `${address.slice(0, 1)}${HIDDEN}${address.slice(at)}` : HIDDEN;
}

/** An address of either channel, masked (a channel-less address is told apart by its form). */
export function maskedAddress(address: string, channel?: string | null): string {
  const isUrl = channel === "webhook" || (channel !== "email" && /^https?:\/\//i.test(address));
  return isUrl ? maskedWebhookUrl(address) : maskedEmail(address);
}

/** A subscriber's address (an email or a webhook URL) as `role` may see it. */
export function addressFor(role: Role, channel: string | null, address: string): string {
  return seesAddresses(role) ? address : maskedAddress(address, channel);
}

const EMAIL_OR_URL = /https?:\/\/[^\s"'<>]+|[^\s"'<>@:,;()[\]]+@[^\s"'<>@,;()[\]]+\.[^\s"'<>@,;()[\]]+/gi;

/**
 * Free text (a server's reply, an audit entry's details) as `role` may see it: the known addresses
 * (any form, so a URL with spaces or quotes is still caught) and then every email address and URL in it masked.
 */
export function textFor(role: Role, text: string, knownAddresses: readonly string[] = []): string {
  if (seesAddresses(role)) return text;
  const known = knownAddresses
    .filter((address) => address !== "")
    .reduce((masked, address) => masked.split(address).join(maskedAddress(address)), text);
  return known.replace(EMAIL_OR_URL, (found) => maskedAddress(found));
}
