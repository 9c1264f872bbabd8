import { z } from "zod";
import { WEBHOOK_FORMATS } from "../../db/enums.ts";
import { emailAddress } from "../subscribers/email-address.ts";
import { addressText } from "../text/safe-text.ts";
import { type WebhookUrlPolicy, webhookUrlProblem } from "./url-policy.ts";

export { WEBHOOK_FORMATS, type WebhookFormat } from "../../db/enums.ts";

/** A webhook URL under a policy (the lab one lifts the address and port rules). */
function webhookUrl(policy: WebhookUrlPolicy) {
  return addressText(2000, "a URL is required")
    .trim()
    .check((ctx) => {
      const problem = webhookUrlProblem(ctx.value, policy);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    })
    .describe(
      "where to POST: http(s) only, ports 80/443/8080/8443, no credentials, never a loopback or private address",
    );
}

export const webhookFields = {
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

/** The inputs that name a URL, checked under `policy`. */
function webhookInputsUnder(policy: WebhookUrlPolicy) {
  /** The public subscribe form's input: never `team` (a subscriber is never a team destination). */
  const create = z
    .object({
      url: webhookUrl(policy),
      format: webhookFields.format.optional(),
      owner_email: webhookFields.owner_email,
      components: webhookFields.components.optional(),
    })
    .strict();
  /** An admin's webhook: the form's fields and whether it is the team's own. */
  const admin = z.object({ ...create.shape, team: webhookFields.team.optional() }).strict();
  return { create, admin };
}

const STRICT = webhookInputsUnder({ allowPrivate: false });
const LAB = webhookInputsUnder({ allowPrivate: true });

/** The webhook inputs as `policy` (from the context's settings, see url-policy.ts) checks them. */
export function webhookInputs(policy: WebhookUrlPolicy): typeof STRICT {
  return policy.allowPrivate ? LAB : STRICT;
}

/** The inputs as production checks them: what the OpenAPI document describes. */
export const createWebhookInput = STRICT.create;
export const adminWebhookInput = STRICT.admin;

export type CreateWebhookInput = z.input<typeof createWebhookInput>;
export type ParsedWebhookInput = z.output<typeof createWebhookInput>;

export type AdminWebhookInput = z.input<typeof adminWebhookInput>;

/** What an admin may change on a webhook after creating it. */
export const editWebhookInput = z
  .object({ team: webhookFields.team.optional(), owner_email: webhookFields.owner_email.optional() })
  .strict()
  .refine((input) => input.team !== undefined || input.owner_email !== undefined, {
    message: "nothing to change: give team or owner_email",
  });

export type EditWebhookInput = z.input<typeof editWebhookInput>;
