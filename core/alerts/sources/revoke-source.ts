import { and, count, eq, isNull } from "drizzle-orm";
import { alertSources, alerts, apiTokens } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { evaluationRequestStatements } from "../automation/request.ts";
import { getAlertSource } from "./list-sources.ts";
import { alertSourceIdInput } from "./schemas.ts";

export type RevokeAlertSourceResult = { outcome: "revoked" | "already_revoked"; id: string };

/**
 * Revokes a source and its token at once: authentication reads `revoked_at` on every request, so the
 * sender's next delivery is a 401. Its firing alerts resolve (nothing could ever resolve them now, and they
 * would hold their components for good), and the rules look again. Revoking a revoked source changes nothing.
 */
export const revokeAlertSource = defineAction({
  name: "alert_source.revoke",
  role: "admin",
  doing: "revoke alert sources",
  input: alertSourceIdInput,
  async load(ctx, { id }) {
    const [source, [firing]] = await Promise.all([
      getAlertSource(ctx.db, id),
      ctx.db
        .select({ n: count() })
        .from(alerts)
        .where(and(eq(alerts.sourceId, id), eq(alerts.status, "firing"))),
    ]);
    return { db: ctx.db, source, firing: firing?.n ?? 0 };
  },
  plan({ db, source, firing }, _input, { now }): Outcome<RevokeAlertSourceResult> {
    if (source.revokedAt) return { changes: [], result: { outcome: "already_revoked", id: source.id } };
    const at = now.toISOString();
    const change = {
      statements: [
        db
          .update(alertSources)
          .set({ revokedAt: at, updatedAt: at })
          .where(and(eq(alertSources.id, source.id), isNull(alertSources.revokedAt))),
        db
          .update(apiTokens)
          .set({ revokedAt: at })
          .where(and(eq(apiTokens.id, source.tokenId), isNull(apiTokens.revokedAt))),
        db
          .update(alerts)
          .set({ status: "resolved", resolvedAt: at, lastReceivedAt: at })
          .where(and(eq(alerts.sourceId, source.id), eq(alerts.status, "firing"))),
        ...(firing > 0 ? evaluationRequestStatements(db, now) : []),
      ],
      audit: {
        action: "alert_source.revoke",
        targetType: "alert_source",
        targetId: source.id,
        details: { name: source.name, kind: source.kind, token_id: source.tokenId, alerts_resolved: firing },
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "revoked", id: source.id } };
  },
});
