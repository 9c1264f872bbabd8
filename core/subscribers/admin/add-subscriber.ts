import { and, eq } from "drizzle-orm";
import { components, subscriberComponents, subscribers } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { HeraldError, invalid } from "../../actions/errors.ts";
import type { Statement } from "../../changes/commit.ts";
import { newId } from "../../model/ids.ts";
import { resolveComponents } from "./resolve-components.ts";
import { addSubscriberInput } from "./schemas.ts";
import { type AdminSubscriber, adminSubscriber, type SubscriberRow } from "./subscriber-view.ts";

/** A subscriber to write: an email address, already confirmed (or in the state an import carries). */
export type NewEmailSubscriber = {
  address: string;
  componentIds: string[] | null;
  state: Extract<SubscriberRow["state"], "active" | "quarantined" | "unsubscribed">;
  source: SubscriberRow["source"];
};

/** The rows of a new email subscriber (no mail is sent: it is confirmed elsewhere, e.g. a migration). */
export function planNewSubscriber(
  ctx: Pick<ActionContext, "db">,
  subscriber: NewEmailSubscriber,
  now: string,
): { row: SubscriberRow; statements: Statement[] } {
  const scoped = subscriber.componentIds !== null;
  const row: SubscriberRow = {
    id: newId(),
    channel: "email",
    address: subscriber.address,
    format: "email",
    state: subscriber.state,
    allComponents: !scoped,
    webhookSecret: null,
    ownerEmail: null,
    team: false,
    source: subscriber.source,
    hardFailures: 0,
    failingSince: null,
    confirmationSentAt: null,
    confirmedAt: now,
    unsubscribedAt: subscriber.state === "unsubscribed" ? now : null,
    quarantinedAt: subscriber.state === "quarantined" ? now : null,
    quarantineReason: null,
    softBounces: 0,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const statements: Statement[] = [ctx.db.insert(subscribers).values(row)];
  for (const componentId of subscriber.componentIds ?? []) {
    statements.push(ctx.db.insert(subscriberComponents).values({ subscriberId: row.id, componentId }));
  }
  return { row, statements };
}

/** Adds a confirmed email subscriber (for migrations from another status page). */
export const addSubscriber = defineAction({
  name: "subscriber.add",
  role: "commander",
  doing: "add subscribers",
  input: addSubscriberInput,
  async load(ctx, input) {
    const [all, existing] = await Promise.all([
      ctx.db.select().from(components),
      ctx.db
        .select({ id: subscribers.id })
        .from(subscribers)
        .where(and(eq(subscribers.channel, "email"), eq(subscribers.address, input.address))),
    ]);
    return { db: ctx.db, all, existing };
  },
  plan({ db, all, existing }, input, { now, actor }): Outcome<AdminSubscriber> {
    const resolved = input.components ? resolveComponents(input.components, all) : { ok: true as const, ids: null };
    if (!resolved.ok) {
      throw invalid(`Unknown component "${resolved.value}": ${resolved.why}.`, [
        { path: "components", message: resolved.why },
      ]);
    }
    if (existing.length > 0) {
      throw new HeraldError("conflict", "This address is already a subscriber.", [
        { path: "address", message: "already subscribed" },
      ]);
    }
    const planned = planNewSubscriber(
      { db },
      { address: input.address, componentIds: resolved.ids, state: "active", source: "api" },
      now.toISOString(),
    );
    const change = {
      statements: planned.statements,
      // The audit names the subscriber by id only: an erase must leave no address behind.
      audit: {
        action: "subscriber.add",
        targetType: "subscriber",
        targetId: planned.row.id,
        details: { components: resolved.ids },
      },
      jobs: [],
    };
    return { changes: [change], result: adminSubscriber(planned.row, resolved.ids ?? [], actor.role) };
  },
});
