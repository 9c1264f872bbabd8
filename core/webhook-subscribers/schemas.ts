import { z } from "zod";
import { emailAddress } from "../subscribers/email-address.ts";
import { addressText } from "../text.ts";
import { webhookUrlPolicy, webhookUrlProblem } from "./url-policy.ts";

export const WEBHOOK_FORMATS = ["json", "slack", "discord", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const webhookUrl = addressText(2000, "a URL is required")
  .trim()
  .check((ctx) => {
    const problem = webhookUrlProblem(ctx.value, webhookUrlPolicy());
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });

export const webhookFields = {
  url: webhookUrl.describe(
    "where to POST: http(s) only, ports 80/443/8080/8443, no credentials, never a loopback or private address",
  ),
  format: z
    .enum(WEBHOOK_FORMATS)
    .describe("json: Statuspage-compatible; slack, discord, teams: a chat channel's incoming-webhook URL"),
  owner_email: emailAddress.describe("told by mail when the webhook is disabled after sustained failure"),
  components: z
    .array(z.string())
    .min(1)
    .max(500)
    .describe("component or group ids to be told about; absent: the whole page"),
  team: z
    .boolean()
    .describe(
      "the team's own webhook (admins only): it also gets team events such as update overdue, which no subscriber ever gets",
    ),
};

export const createWebhookInput = z
  .object({
    url: webhookFields.url,
    format: webhookFields.format.optional(),
    owner_email: webhookFields.owner_email,
    components: webhookFields.components.optional(),
  })
  .strict();

/** The public subscribe form's input: never `team` (a subscriber is never a team destination). */
export type CreateWebhookInput = z.input<typeof createWebhookInput>;
export type ParsedWebhookInput = z.output<typeof createWebhookInput>;

/** An admin's webhook: the form's fields and whether it is the team's own. */
export const adminWebhookInput = z
  .object({ ...createWebhookInput.shape, team: webhookFields.team.optional() })
  .strict();

export type AdminWebhookInput = z.input<typeof adminWebhookInput>;

/** The webhook a path names (`/api/webhooks/{id}`). */
export const webhookIdInput = z.object({ id: z.string() }).strict();

/** What an admin may change on a webhook after creating it. */
export const editWebhookInput = z
  .object({
    id: z.string(),
    team: webhookFields.team.optional(),
    owner_email: webhookFields.owner_email.optional(),
  })
  .strict()
  .refine((input) => input.team !== undefined || input.owner_email !== undefined, {
    message: "nothing to change: give team or owner_email",
  });

export type EditWebhookInput = z.input<typeof editWebhookInput>;
