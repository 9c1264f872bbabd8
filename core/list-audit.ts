import { desc, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { auditLog } from "../db/schema.ts";
import { withoutWebhookSecrets } from "./webhooks/webhook-audit.ts";

export type AuditEntry = {
  id: string;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
};

/** The audit log, newest first; `before` (an ISO time) pages back. */
export async function listAudit(
  db: Db,
  options: { limit: number; before?: string | undefined },
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
    details: withoutWebhookSecrets(r.action, r.details),
  }));
}
