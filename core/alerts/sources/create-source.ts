import { eq } from "drizzle-orm";
import { alertSources, page } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { invalid } from "../../actions/errors.ts";
import { newId } from "../../model/ids.ts";
import { type AlertSourceWithToken, alertSourceView, createAlertSourceInput, intakePath, slugOf } from "./schemas.ts";
import { newSourceToken, sourceTokenInsert } from "./source-token.ts";

/** The full intake URL: at the API's public address (the page's, unless the API lives elsewhere). */
export function intakeUrl(base: { url: string; apiUrl: string | null } | undefined, id: string): string {
  const origin = base?.apiUrl ?? base?.url;
  if (!origin) return intakePath(id);
  try {
    return new URL(intakePath(id), origin).href;
  } catch {
    return intakePath(id);
  }
}

/**
 * An admin adds an alert source: the source and its own `automation` token (which can only deliver to this
 * source's intake), in one batch. The token is shown once, with the intake URL to configure the sender with.
 */
export const createAlertSource = defineAction({
  name: "alert_source.create",
  role: "admin",
  doing: "create alert sources",
  input: createAlertSourceInput,
  async load(ctx, input) {
    const id = input.id ?? (slugOf(input.name) || newId());
    const [[taken], [pageRow], token] = await Promise.all([
      ctx.db.select({ id: alertSources.id }).from(alertSources).where(eq(alertSources.id, id)),
      ctx.db.select({ url: page.url, apiUrl: page.apiUrl }).from(page).limit(1),
      newSourceToken(),
    ]);
    return { db: ctx.db, id, taken: taken !== undefined, page: pageRow, token };
  },
  plan({ db, id, taken, page: pageRow, token }, input, { now }): Outcome<AlertSourceWithToken> {
    if (taken) {
      const message = `already a source (revoked sources keep their id); choose another id`;
      throw invalid(`There is already an alert source "${id}".`, [{ path: input.id ? "id" : "name", message }]);
    }
    const at = now.toISOString();
    const row = {
      id,
      name: input.name,
      kind: input.kind,
      tokenId: token.id,
      signingSecret: input.signing_secret ?? null,
      heartbeatMinutes: input.heartbeat_minutes ?? null,
      lastPingAt: null,
      createdAt: at,
      updatedAt: at,
      revokedAt: null,
    };
    const change = {
      statements: [sourceTokenInsert(db, token, row, at), db.insert(alertSources).values(row)],
      audit: {
        action: "alert_source.create",
        targetType: "alert_source",
        targetId: id,
        details: { name: input.name, kind: input.kind, heartbeat_minutes: row.heartbeatMinutes, token_id: token.id },
      },
      jobs: [],
    };
    return {
      changes: [change],
      result: { ...alertSourceView(row, undefined), token: token.secret, intake_url: intakeUrl(pageRow, id) },
    };
  },
});
