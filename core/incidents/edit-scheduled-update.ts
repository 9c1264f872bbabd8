import { defineAction, type Outcome } from "../actions/define.ts";
import { findIncident, loadIncidentState } from "./incident-state.ts";
import {
  assertSchedulable,
  getScheduledUpdate,
  replaceTimedUpdate,
  SCHEDULED_UPDATE_GONE,
  type ScheduledUpdateView,
  scheduledUpdateView,
} from "./scheduled-updates.ts";
import { editScheduledUpdateInput } from "./schemas.ts";
import { writeUpdate } from "./update-rules.ts";

/** Changes a timed update before it is published (text, status, components, promise or time); audited. */
export const editScheduledUpdate = defineAction({
  name: "update.schedule_edit",
  role: "commander",
  doing: "edit scheduled updates",
  input: editScheduledUpdateInput,
  conflict: SCHEDULED_UPDATE_GONE,
  async load(ctx, input, now) {
    assertSchedulable(input, now);
    const stored = await getScheduledUpdate(ctx.db, input.updateId);
    const state = await loadIncidentState(ctx.db, [stored.row.incidentId]);
    return { stored, state };
  },
  plan({ stored, state }, { updateId, ...input }, { now, actor }): Outcome<ScheduledUpdateView> {
    const incident = findIncident(state, stored.row.incidentId);
    const components = input.components ?? stored.row.scheduledComponents ?? {};
    // Checked again as a whole, as it will be published: the status fits the kind, the components exist.
    const written = writeUpdate(
      state,
      { id: incident.id, kind: incident.kind, record: incident },
      {
        status: input.status ?? stored.row.status,
        body: input.body ?? stored.row.bodyMd,
        components,
        by: stored.row.createdBy ?? actor.name,
      },
      now,
    );
    const publishAt = input.publish_at
      ? new Date(input.publish_at).toISOString()
      : (stored.row.publishAt ?? now.toISOString());
    const row = {
      ...stored.row,
      status: written.row.status,
      bodyMd: written.row.bodyMd,
      bodyHtml: written.row.bodyHtml,
      scheduledComponents: Object.fromEntries(written.components),
      deliverNotifications: input.deliver_notifications ?? stored.row.deliverNotifications,
      nextUpdateInMinutes:
        input.next_update_in_minutes !== undefined ? input.next_update_in_minutes : stored.row.nextUpdateInMinutes,
      publishAt,
      displayAt: publishAt,
      updatedAt: now.toISOString(),
    };
    const change = {
      statements: replaceTimedUpdate(state.db, row),
      audit: {
        action: "update.schedule_edit",
        targetType: "incident_update",
        targetId: updateId,
        details: { incident_id: row.incidentId, before: scheduledUpdateView(stored.row), after: input },
      },
      jobs: [],
    };
    return { changes: [change], result: scheduledUpdateView(row) };
  },
});
