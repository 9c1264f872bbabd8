import { eq } from "drizzle-orm";
import { subscribers } from "../../../db/schema.ts";
import { requireRole } from "../../actions/authorize.ts";
import type { ActionContext } from "../../actions/context.ts";
import { invalid, notFound } from "../../actions/errors.ts";
import { commitChange } from "../../changes/commit.ts";
import { withComponents } from "./list-subscribers.ts";
import type { AdminSubscriber, SubscriberRow } from "./subscriber-view.ts";

async function findSubscriber(ctx: ActionContext, id: string): Promise<SubscriberRow> {
  const [row] = await ctx.db.select().from(subscribers).where(eq(subscribers.id, id));
  if (!row) throw notFound(`There is no subscriber with id "${id}".`);
  return row;
}

/** Stops sending to a subscriber (a bouncing address, a complaint) without forgetting it. */
export async function quarantineSubscriber(ctx: ActionContext, id: string): Promise<AdminSubscriber> {
  requireRole(ctx, "commander", "quarantine subscribers");
  const row = await findSubscriber(ctx, id);
  if (row.state === "quarantined") return viewOf(ctx, row);
  if (row.state !== "active" && row.state !== "unconfirmed") {
    throw invalid(`A subscriber who is ${row.state} cannot be quarantined.`, [
      { path: "(path)", message: `state is ${row.state}` },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const fields = { state: "quarantined" as const, quarantinedAt: now, updatedAt: now };
  await commitChange(ctx, {
    statements: [ctx.db.update(subscribers).set(fields).where(eq(subscribers.id, id))],
    audit: { action: "subscriber.quarantine", targetType: "subscriber", targetId: id, details: { before: row.state } },
    jobs: [],
  });
  return viewOf(ctx, { ...row, ...fields });
}

/** Sends to a quarantined subscriber again, its failure count reset. */
export async function unquarantineSubscriber(ctx: ActionContext, id: string): Promise<AdminSubscriber> {
  requireRole(ctx, "commander", "unquarantine subscribers");
  const row = await findSubscriber(ctx, id);
  if (row.state !== "quarantined") {
    throw invalid(`The subscriber is ${row.state}, not quarantined.`, [
      { path: "(path)", message: `state is ${row.state}` },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const state = row.confirmedAt ? ("active" as const) : ("unconfirmed" as const);
  const fields = { state, quarantinedAt: null, hardFailures: 0, failingSince: null, updatedAt: now };
  await commitChange(ctx, {
    statements: [ctx.db.update(subscribers).set(fields).where(eq(subscribers.id, id))],
    audit: { action: "subscriber.unquarantine", targetType: "subscriber", targetId: id, details: { after: state } },
    jobs: [],
  });
  return viewOf(ctx, { ...row, ...fields });
}

async function viewOf(ctx: ActionContext, row: SubscriberRow): Promise<AdminSubscriber> {
  const [view] = await withComponents(ctx.db, [row], ctx.actor.role);
  if (!view) throw new Error("a subscriber's view is missing");
  return view;
}

export { findSubscriber };
