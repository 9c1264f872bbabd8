import { subscriberComponents, subscribers } from "../../db/schema.ts";
import { invalid } from "../actions/errors.ts";
import type { Statement } from "../changes/commit.ts";
import type { ComponentState } from "../components/component-state.ts";
import { newId } from "../model/ids.ts";
import { canBeTeam } from "../notifications/audience.ts";
import type { ParsedWebhookInput } from "./schemas.ts";
import { type WebhookSubscriber, type WebhookView, webhookView } from "./webhook-view.ts";

/** A new webhook subscriber's rows: the subscriber (its secret generated here) and its component scope. */
export function planWebhookRow(
  state: ComponentState,
  input: ParsedWebhookInput,
  options: { state: "active" | "unconfirmed"; source: "api" | "form"; now: Date; secret: string; team?: boolean },
): { row: WebhookSubscriber; statements: Statement[]; view: WebhookView; secret: string } {
  const scope = [...new Set(input.components ?? [])];
  const known = new Set(state.components.map((c) => c.id));
  const unknown = scope.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalid(`There is no component with id ${unknown.map((id) => `"${id}"`).join(", ")}.`, [
      { path: "components", message: `unknown component(s): ${unknown.join(", ")}` },
    ]);
  }
  const at = options.now.toISOString();
  const { secret } = options;
  const row: WebhookSubscriber = {
    id: newId(),
    channel: "webhook",
    address: input.url,
    format: input.format ?? "json",
    state: options.state,
    allComponents: scope.length === 0,
    webhookSecret: secret,
    ownerEmail: input.owner_email,
    // Only an admin marks a team webhook; the public form's never is one.
    team: options.team === true && canBeTeam(options.source, "webhook"),
    source: options.source,
    hardFailures: 0,
    failingSince: null,
    confirmationSentAt: options.state === "unconfirmed" ? at : null,
    confirmedAt: options.state === "active" ? at : null,
    unsubscribedAt: null,
    quarantinedAt: null,
    quarantineReason: null,
    softBounces: 0,
    disabledAt: null,
    createdAt: at,
    updatedAt: at,
  };
  const statements: Statement[] = [state.db.insert(subscribers).values(row).onConflictDoNothing()];
  if (scope.length > 0) {
    statements.push(
      state.db
        .insert(subscriberComponents)
        .values(scope.map((componentId) => ({ subscriberId: row.id, componentId })))
        .onConflictDoNothing(),
    );
  }
  return { row, statements, view: webhookView(row, scope), secret };
}
