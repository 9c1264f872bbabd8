import { and, eq, isNull } from "drizzle-orm";
import { alertSources, apiTokens, page } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { HeraldError } from "../../actions/errors.ts";
import { failUnlessChanged } from "../../changes/guard.ts";
import { intakeUrl } from "./create-source.ts";
import { getAlertSource } from "./list-sources.ts";
import { type AlertSourceWithToken, alertSourceIdInput, alertSourceView } from "./schemas.ts";
import { newSourceToken, sourceTokenInsert } from "./source-token.ts";

/**
 * Gives a source a new token (shown once) and revokes the old one in the same batch: the sender's next
 * delivery with the old token is a 401. Two rotations at once: one wins, the other is a 409.
 */
export const rotateAlertSourceToken = defineAction({
  name: "alert_source.rotate_token",
  role: "admin",
  doing: "rotate alert source tokens",
  input: alertSourceIdInput,
  conflict: "The source's token was replaced meanwhile; list the sources and try again.",
  async load(ctx, { id }) {
    const [source, [pageRow], token] = await Promise.all([
      getAlertSource(ctx.db, id),
      ctx.db.select({ url: page.url, apiUrl: page.apiUrl }).from(page).limit(1),
      newSourceToken(),
    ]);
    return { db: ctx.db, source, page: pageRow, token };
  },
  plan({ db, source, page: pageRow, token }, _input, { now }): Outcome<AlertSourceWithToken> {
    if (source.revokedAt) {
      throw new HeraldError("conflict", `The alert source "${source.id}" is revoked; create a new source instead.`);
    }
    const at = now.toISOString();
    const row = { ...source, tokenId: token.id, updatedAt: at };
    const change = {
      statements: [
        sourceTokenInsert(db, token, source, at),
        db
          .update(alertSources)
          .set({ tokenId: token.id, updatedAt: at })
          .where(
            and(
              eq(alertSources.id, source.id),
              eq(alertSources.tokenId, source.tokenId),
              isNull(alertSources.revokedAt),
            ),
          ),
        failUnlessChanged(db),
        db
          .update(apiTokens)
          .set({ revokedAt: at })
          .where(and(eq(apiTokens.id, source.tokenId), isNull(apiTokens.revokedAt))),
      ],
      audit: {
        action: "alert_source.rotate_token",
        targetType: "alert_source",
        targetId: source.id,
        details: { old_token_id: source.tokenId, token_id: token.id },
      },
      jobs: [],
    };
    return {
      changes: [change],
      result: { ...alertSourceView(row, undefined), token: token.secret, intake_url: intakeUrl(pageRow, source.id) },
    };
  },
});
