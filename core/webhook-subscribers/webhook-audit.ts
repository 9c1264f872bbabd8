import { webhookHost } from "../subscribers/address-visibility.ts";

/**
 * What the audit log keeps of a webhook: its host and format, never its URL (for chat services the URL
 * is the credential, and every viewer reads the log) nor its owner's address (gone with the webhook).
 */
export function webhookAuditDetails(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { host: webhookHost(url), ...extra };
}

/** Entries written before the rule above: shown with the URL and owner's address left out. */
export function withoutWebhookSecrets(action: string, details: Record<string, unknown>): Record<string, unknown> {
  if (!action.startsWith("webhook.") || !("url" in details || "owner_email" in details)) return details;
  const { url, owner_email: _, ...rest } = details;
  return typeof url === "string" ? { host: webhookHost(url), ...rest } : rest;
}
