import { eq } from "drizzle-orm";
import { z } from "zod";
import { alertRules } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { evaluationRequestStatements } from "../automation/request.ts";
import { getRuleRow } from "./rule-view.ts";

/** Deletes a rule; components only it held are restored at the next evaluation, which this asks for. */
export const deleteRule = defineAction({
  name: "alert_rule.delete",
  role: "admin",
  doing: "delete alert rules",
  input: z.object({ id: z.string().describe("the rule's id") }),
  load: async (ctx, { id }) => ({ db: ctx.db, row: await getRuleRow(ctx.db, id) }),
  plan({ db, row }, { id }, { now }): Outcome<null> {
    const change = {
      statements: [db.delete(alertRules).where(eq(alertRules.id, id)), ...evaluationRequestStatements(db, now)],
      audit: { action: "alert_rule.delete", targetType: "alert_rule", targetId: id, details: { name: row.name } },
      jobs: [],
    };
    return { changes: [change], result: null };
  },
});
