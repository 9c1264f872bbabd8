import { desc, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { auditLog } from "../../db/schema.ts";
import type { Role } from "../actions/context.ts";
import { defineQuery } from "../actions/define.ts";
import { intParamWithDefault, timeParam } from "../actions/query-params.ts";
import { seesAddresses, textFor } from "../subscribers/address-visibility.ts";
import { withoutWebhookSecrets } from "../webhooks/webhook-audit.ts";

export const auditEntrySchema = z.strictObject({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export type AuditEntry = z.output<typeof auditEntrySchema>;

/** The audit log as the acting token may read it: newest first, `before` pages back. */
export const readAudit = defineQuery({
  name: "audit.list",
  role: "viewer",
  doing: "read the audit log",
  input: z.object({
    limit: intParamWithDefault("1-500 (default 100)", { min: 1, max: 500, default: 100 }),
    before: timeParam("ISO time: entries before it"),
  }),
  read: (ctx, { limit, before }) => listAudit(ctx.db, { limit, before, role: ctx.actor.role }),
});

/** The audit log, newest first; `before` (an ISO time) pages back. Addresses and URLs in full only for an admin. */
export async function listAudit(
  db: Db,
  options: { limit: number; before?: string | undefined; role: Role },
): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(options.before ? lt(auditLog.at, options.before) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(Math.min(Math.max(options.limit, 1), 500));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    details: detailsFor(options.role, r.targetType, withoutWebhookSecrets(r.action, r.details)),
  }));
}

/**
 * A subscriber's entry (webhooks included) with every email address and URL in it masked for `role`.
 * Other entries keep their URLs: an update's links and the page's own address are public.
 */
function detailsFor(role: Role, targetType: string, details: Record<string, unknown>): Record<string, unknown> {
  if (seesAddresses(role) || targetType !== "subscriber") return details;
  return maskedValue(role, details) as Record<string, unknown>;
}

function maskedValue(role: Role, value: unknown): unknown {
  if (typeof value === "string") return textFor(role, value);
  if (Array.isArray(value)) return value.map((item) => maskedValue(role, item));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskedValue(role, item)]));
  return value;
}
