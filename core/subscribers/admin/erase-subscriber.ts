import { eq, or, sql } from "drizzle-orm";
import { auditLog, deliveries, jobs, rateLimits, subscriberComponents, subscribers } from "../../../db/schema.ts";
import { requireRole } from "../../actions/authorize.ts";
import type { ActionContext } from "../../actions/context.ts";
import { commitChange } from "../../changes/commit.ts";
import { findSubscriber } from "./quarantine-subscriber.ts";

/**
 * Erases a subscriber (GDPR art. 17): the subscriber and its scope are deleted; its deliveries stay, so
 * the events' counters still add up, but without the server replies and errors (which quote the
 * address); audit entries, rate-limit keys and jobs that mention the address are scrubbed or dropped.
 * The erase itself is audited by subscriber id, without the address.
 */
export async function eraseSubscriber(ctx: ActionContext, id: string): Promise<void> {
  requireRole(ctx, "admin", "erase subscribers");
  const row = await findSubscriber(ctx, id);
  const address = row.address.toLowerCase();
  const mentions = (column: Parameters<typeof sql>[1]) => sql`instr(lower(${column}), ${address}) > 0`;
  const { db } = ctx;
  await commitChange(ctx, {
    statements: [
      db
        .update(deliveries)
        .set({ serverReply: null, lastError: null })
        .where(or(eq(deliveries.subscriberId, id), mentions(deliveries.serverReply), mentions(deliveries.lastError))),
      db
        .update(auditLog)
        .set({ details: { erased: "details removed with an erased subscriber" } })
        .where(mentions(auditLog.details)),
      db.delete(rateLimits).where(mentions(rateLimits.key)),
      db.delete(jobs).where(or(mentions(jobs.payload), mentions(jobs.lastError))),
      db.delete(subscriberComponents).where(eq(subscriberComponents.subscriberId, id)),
      db.delete(subscribers).where(eq(subscribers.id, id)),
    ],
    audit: {
      action: "subscriber.erase",
      targetType: "subscriber",
      targetId: id,
      details: { channel: row.channel, erased: true },
    },
    jobs: [],
  });
}
