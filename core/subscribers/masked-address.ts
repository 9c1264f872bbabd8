import type { Role } from "../context.ts";

/**
 * A subscriber's address as someone below admin may see it: enough to tell subscribers apart, never
 * enough to mail them or to post to their webhook (a Slack, Discord or Teams URL is its own credential).
 * `jane@example.com` → `j•••@example.com`; `https://hooks.slack.com/services/…` → `https://hooks.slack.com/…`.
 */
export function maskedAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (/^https?:\/\//i.test(address)) {
    try {
      const url = new URL(address);
      return `${url.protocol}//${url.hostname}/…`;
    } catch {
      return "•••";
    }
  }
  if (at > 0) return `${address.slice(0, 1)}•••${address.slice(at)}`;
  return "•••";
}

/** Only an admin sees subscriber addresses and webhook URLs in full. */
export function seesAddresses(role: Role): boolean {
  return role === "admin";
}

/** The address as `role` may see it. */
export function addressFor(role: Role, address: string): string {
  return seesAddresses(role) ? address : maskedAddress(address);
}

const EMAIL_OR_URL = /https?:\/\/[^\s"'<>]+|[^\s"'<>@:]+@[^\s"'<>@]+\.[^\s"'<>@]+/gi;

/** Free text (an audit entry's details) with every address and URL in it masked for `role`. */
export function textFor(role: Role, text: string): string {
  return seesAddresses(role) ? text : text.replace(EMAIL_OR_URL, maskedAddress);
}
