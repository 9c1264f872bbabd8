import { eq } from "drizzle-orm";
import { z } from "zod";
import { incidents, incidentUpdates } from "../../db/schema.ts";
import { defineAction } from "../actions/define.ts";
import { notFound } from "../actions/errors.ts";
import { historyMonth } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { pageOf } from "../components/component-state.ts";
import { renderMarkdown } from "../text/markdown.ts";
import { adminIncident } from "./admin-incident.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";
import { newestFirst } from "./load-incidents.ts";
import { type PlannedIncident, withIncident } from "./plan-incident.ts";
import { editUpdateInput, incidentId } from "./schemas.ts";
import { earliestDisplayAt, resolveDisplayAt } from "./update-rules.ts";

/** Corrects an update's text or shown time; the audit log keeps what it said before. */
export const editUpdate = defineAction({
  name: "update.edit",
  role: "commander",
  doing: "edit incident updates",
  input: editUpdateInput.safeExtend({ ...incidentId, updateId: z.string().describe("the update's id") }),
  load: (ctx, { id }) => loadIncidentState(ctx.db, [id]),
  plan(state, { id, updateId, ...input }, { now }) {
    const planned = planEditUpdate(state, id, updateId, input, now);
    return { changes: [planned], result: planned.view };
  },
});

function planEditUpdate(
  state: IncidentState,
  incidentId: string,
  updateId: string,
  input: z.output<typeof editUpdateInput>,
  now: Date,
): PlannedIncident {
  const incident = findIncident(state, incidentId);
  const update = incident.updates.find((u) => u.id === updateId);
  if (!update) throw notFound(`Incident "${incidentId}" has no update with id "${updateId}".`);
  const displayAt = input.display_at ? resolveDisplayAt(input.display_at, now, earliestDisplayAt(incident)) : undefined;
  const body = input.body?.trim();
  const nowIso = now.toISOString();
  const fields = {
    bodyMd: body || undefined,
    bodyHtml: body ? renderMarkdown(body) : undefined,
    displayAt,
    updatedAt: nowIso,
  };
  const edited = {
    ...update,
    bodyMd: fields.bodyMd ?? update.bodyMd,
    bodyHtml: fields.bodyHtml ?? update.bodyHtml,
    displayAt: displayAt ?? update.displayAt,
    updatedAt: nowIso,
  };
  const record = {
    ...incident,
    updatedAt: nowIso,
    updates: newestFirst(incident.updates.map((u) => (u.id === updateId ? edited : u))),
  };
  const next = withIncident(state, record);
  return {
    statements: [
      state.db.update(incidentUpdates).set(fields).where(eq(incidentUpdates.id, updateId)),
      state.db.update(incidents).set({ updatedAt: nowIso }).where(eq(incidents.id, incidentId)),
    ],
    audit: {
      action: "update.edit",
      targetType: "incident_update",
      targetId: updateId,
      details: { incident_id: incidentId, before: { body: update.bodyMd, display_at: update.displayAt }, after: input },
    },
    jobs: [],
    touched: {
      incidents: [incidentId],
      components: withGroups(state.components, record.componentIds),
      months: [historyMonth(incident.startedAt)],
    },
    view: adminIncident(record, next.components, pageOf(next), now),
    record,
    state: next,
  };
}
