import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { canBeTeam } from "../notifications/audience.ts";
import { editWebhookInput } from "./schemas.ts";
import { getWebhook, type WebhookView, webhookScopes, webhookView } from "./webhook-view.ts";

/**
 * An admin marks a webhook as the team's own (or not), or changes its owner's address. A webhook made
 * on the public subscribe form can never be the team's: anyone can post that form.
 */
export const editWebhook = defineAction({
  name: "webhook.edit",
  role: "admin",
  doing: "edit webhooks",
  input: editWebhookInput,
  async load(ctx, { id }) {
    const row = await getWebhook(ctx.db, id);
    const scopes = await webhookScopes(ctx.db, [id]);
    return { db: ctx.db, row, scope: scopes.get(id) ?? [] };
  },
  plan({ db, row, scope }, input, { now }): Outcome<WebhookView> {
    if (input.team === true && !canBeTeam(row.source, row.channel)) {
      throw invalid(
        "A webhook made on the public subscribe form cannot be the team's own; add the team's with POST /api/webhooks.",
        [{ path: "team", message: "a subscribe-form webhook is never a team destination" }],
      );
    }
    const changes = {
      team: input.team ?? row.team,
      ownerEmail: input.owner_email ?? row.ownerEmail,
      updatedAt: now.toISOString(),
    };
    const change = {
      statements: [db.update(subscribers).set(changes).where(eq(subscribers.id, row.id))],
      audit: {
        action: "webhook.edit",
        targetType: "subscriber",
        targetId: row.id,
        // The id names the webhook; its URL and owner's address stay out of the log (they may hold secrets).
        details: {
          ...(input.team !== undefined && { team: input.team }),
          ...(input.owner_email !== undefined && { owner_email_changed: true }),
        },
      },
      jobs: [],
    };
    return { changes: [change], result: webhookView({ ...row, ...changes }, scope) };
  },
});
