import { and, eq, isNull } from "drizzle-orm";
import { alertSources, apiTokens } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { getAlertSource } from "./list-sources.ts";
import { alertSourceIdInput } from "./schemas.ts";

export type RevokeAlertSourceResult = { outcome: "revoked" | "already_revoked"; id: string };

/**
 * Revokes a source and its token at once: authentication reads `revoked_at` on every request, so the
 * sender's next delivery is a 401. Its alerts stay (they resolve only when a sender says so); the rules
 * and the record still name it. Revoking a revoked source changes nothing.
 */
export const revokeAlertSource = defineAction({
  name: "alert_source.revoke",
  role: "admin",
  doing: "revoke alert sources",
  input: alertSourceIdInput,
  async load(ctx, { id }) {
    return { db: ctx.db, source: await getAlertSource(ctx.db, id) };
  },
  plan({ db, source }, _input, { now }): Outcome<RevokeAlertSourceResult> {
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
      ],
      audit: {
        action: "alert_source.revoke",
        targetType: "alert_source",
        targetId: source.id,
        details: { name: source.name, kind: source.kind, token_id: source.tokenId },
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "revoked", id: source.id } };
  },
});
