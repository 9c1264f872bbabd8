import { eq } from "drizzle-orm";
import { alertDrafts } from "../../../db/schema.ts";
import { defineAction } from "../../actions/define.ts";
import { HeraldError, notFound } from "../../actions/errors.ts";
import { stopEscalations } from "../../escalation/stop.ts";
import { ALREADY_DECIDED, decideDraftStatements } from "./decide-draft.ts";
import { discardDraftInput } from "./schemas.ts";

/** Discards a waiting draft: no incident, no more reminders or escalation; the components the alerts moved stay as they are. */
export const discardDraft = defineAction({
  name: "alert_draft.discard",
  role: "commander",
  doing: "discard draft incidents",
  input: discardDraftInput,
  conflict: ALREADY_DECIDED,
  async load(ctx, { id }) {
    const [draft] = await ctx.db.select().from(alertDrafts).where(eq(alertDrafts.id, id));
    if (!draft) throw notFound(`There is no draft ${id}.`);
    if (draft.state !== "waiting") throw new HeraldError("conflict", `${ALREADY_DECIDED} It is ${draft.state}.`);
    return { draft, db: ctx.db };
  },
  plan({ draft, db }, _input, { now, actor }) {
    return {
      changes: [
        {
          statements: [
            ...decideDraftStatements(db, draft, { state: "discarded", by: actor.name }, now),
            stopEscalations(db, { type: "draft", id: draft.id }, `${actor.name} (${actor.id})`, now.toISOString()),
          ],
          jobs: [],
          audit: {
            action: "alert_draft.discard",
            targetType: "alert_draft",
            targetId: draft.id,
            details: { rule_id: draft.ruleId },
          },
        },
      ],
      result: { draft_id: draft.id, state: "discarded" as const },
    };
  },
});
