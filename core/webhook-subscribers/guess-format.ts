import type { WebhookFormat } from "./schemas.ts";

/**
 * The payload a pasted URL most likely wants: a chat service's incoming-webhook URL gets its shape,
 * anything else the Statuspage JSON. Used when the public form does not say.
 */
export function guessWebhookFormat(url: string): WebhookFormat {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return "json";
  }
  if (host === "hooks.slack.com") return "slack";
  if (host === "discord.com" || host === "discordapp.com") return "discord";
  if (host.endsWith(".webhook.office.com") || host.endsWith(".logic.azure.com")) return "teams";
  return "json";
}
