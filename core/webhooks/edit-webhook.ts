import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { canBeTeam } from "../notifications/audience.ts";
import { editWebhookInput } from "./schemas.ts";
import { getWebhook, type WebhookView, webhookScopes, webhookView } from "./webhook-view.ts";

/**
 * An admin marks a webhook as the team's own (or not), or changes its owner's address. A webhook made
 * on the public subscribe form can never be the team's: anyone can post that form.
 */
export async function editWebhook(ctx: ActionContext, id: string, rawInput: unknown): Promise<WebhookView> {
  requireRole(ctx, "admin", "edit webhooks");
  const input = parseInput(editWebhookInput, rawInput);
  const row = await getWebhook(ctx.db, id);
  if (input.team === true && !canBeTeam(row.source, row.channel)) {
    throw invalid(
      "A webhook made on the public subscribe form cannot be the team's own; add the team's with POST /api/webhooks.",
      [{ path: "team", message: "a subscribe-form webhook is never a team destination" }],
    );
  }
  const changes = {
    team: input.team ?? row.team,
    ownerEmail: input.owner_email ?? row.ownerEmail,
    updatedAt: ctx.clock.now().toISOString(),
  };
  await commitChange(ctx, {
    statements: [ctx.db.update(subscribers).set(changes).where(eq(subscribers.id, id))],
    audit: {
      action: "webhook.edit",
      targetType: "subscriber",
      targetId: id,
      // The id names the webhook; its URL and owner's address stay out of the log (they may hold secrets).
      details: {
        ...(input.team !== undefined && { team: input.team }),
        ...(input.owner_email !== undefined && { owner_email_changed: true }),
      },
    },
    jobs: [],
  });
  const scopes = await webhookScopes(ctx.db, [id]);
  return webhookView({ ...row, ...changes }, scopes.get(id) ?? []);
}
