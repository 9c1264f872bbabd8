import { eq } from "drizzle-orm";
import type { z } from "zod";
import { incidents } from "../../db/schema.ts";
import { defineAction } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { historyMonth } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { pageOf } from "../components/component-state.ts";
import { postmortemEvent } from "../notifications/events-from-changes.ts";
import { renderMarkdown } from "../text/markdown.ts";
import { adminIncident } from "./admin-incident.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";
import { type PlannedIncident, withIncident } from "./plan-incident.ts";
import { incidentId, postmortemInput } from "./schemas.ts";

/**
 * Saves an incident's postmortem; publishing it shows it on the incident page and, as Statuspage does,
 * moves a resolved incident to the `postmortem` status. A draft stays private.
 */
export const writePostmortem = defineAction({
  name: "postmortem.write",
  role: "commander",
  doing: "write postmortems",
  input: postmortemInput.extend(incidentId),
  load: (ctx, { id }) => loadIncidentState(ctx.db, [id]),
  plan(state, { id, ...input }, { now }) {
    const planned = planPostmortem(state, id, input, now);
    return { changes: [planned], result: planned.view };
  },
});

function planPostmortem(
  state: IncidentState,
  id: string,
  input: z.output<typeof postmortemInput>,
  now: Date,
): PlannedIncident {
  const current = findIncident(state, id);
  if (current.kind !== "incident") {
    throw invalid("Only an incident has a postmortem.", [{ path: "(body)", message: "not for a maintenance" }]);
  }
  const publish = input.publish ?? true;
  const nowIso = now.toISOString();
  const resolved = current.status === "resolved" || current.status === "postmortem";
  const fields = {
    postmortemMd: input.body,
    postmortemHtml: renderMarkdown(input.body, { topHeading: 3 }),
    postmortemPublishedAt: publish ? (current.postmortemPublishedAt ?? nowIso) : null,
    status:
      publish && resolved ? "postmortem" : current.status === "postmortem" && !publish ? "resolved" : current.status,
    updatedAt: nowIso,
  };
  const record = { ...current, ...fields };
  const next = withIncident(state, record);
  const event = postmortemEvent(state, current, record, now);
  return {
    statements: [state.db.update(incidents).set(fields).where(eq(incidents.id, id)), ...event.statements],
    audit: {
      action: publish ? "postmortem.publish" : "postmortem.draft",
      targetType: "incident",
      targetId: id,
      details: { before: current.postmortemMd, after: input.body },
    },
    jobs: event.jobs,
    touched: {
      incidents: [id],
      components: withGroups(state.components, record.componentIds),
      months: [historyMonth(current.startedAt)],
    },
    view: adminIncident(record, next.components, pageOf(next), now),
    record,
    state: next,
  };
}
