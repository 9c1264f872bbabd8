import { eq } from "drizzle-orm";
import type { z } from "zod";
import { alertDrafts } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { defineAction, type Outcome, type PlanEnv } from "../../actions/define.ts";
import { HeraldError, notFound } from "../../actions/errors.ts";
import { stopEscalations } from "../../escalation/stop.ts";
import type { AdminIncident } from "../../incidents/admin-incident.ts";
import { type IncidentState, loadIncidentState } from "../../incidents/incident-state.ts";
import { planOpenIncident } from "../../incidents/plan-open-incident.ts";
import type { openIncidentInput } from "../../incidents/schemas.ts";
import { type SchedulerSettings, schedulerSettings } from "../../scheduler/settings.ts";
import { ALREADY_DECIDED, decideDraftStatements } from "./decide-draft.ts";
import { openRequestOf } from "./draft-request.ts";
import type { DraftRow } from "./read-drafts.ts";
import { type DraftEdits, discardDraftInput, publishDraftInput } from "./schemas.ts";

export type PublishDraftResult = { draft_id: string; incident: AdminIncident };

type Loaded = {
  draft: DraftRow;
  request: z.output<typeof openIncidentInput>;
  state: IncidentState;
  settings: SchedulerSettings;
};

/**
 * Publishes a waiting draft: opens its incident exactly as `POST /api/incidents` would (the same plan, so
 * subscribers hear of it once, through the incident's own event), with the person's edits, and in the same
 * batch marks the draft published, guarded: when two people press Publish at once, the second gets a 409.
 */
export const publishDraft = defineAction({
  name: "alert_draft.publish",
  role: "commander",
  doing: "publish draft incidents",
  input: publishDraftInput,
  conflict: ALREADY_DECIDED,
  load: (ctx, { id, ...edits }) => loadPublish(ctx, id, edits),
  plan: (loaded, _input, env) => planPublish(loaded, env, false),
});

/** The same, when the rule's "publish if no one has acted within N minutes" falls due (the draft timers run it). */
export const autoPublishDraft = defineAction({
  name: "alert_draft.auto_publish",
  role: "admin",
  doing: "publish draft incidents by themselves",
  input: discardDraftInput,
  conflict: ALREADY_DECIDED,
  load: (ctx, { id }) => loadPublish(ctx, id, {}),
  plan: (loaded, _input, env) => planPublish(loaded, env, true),
});

async function loadPublish(ctx: ActionContext, id: string, edits: DraftEdits): Promise<Loaded> {
  const [draft] = await ctx.db.select().from(alertDrafts).where(eq(alertDrafts.id, id));
  if (!draft) throw notFound(`There is no draft ${id}.`);
  if (draft.state !== "waiting") throw new HeraldError("conflict", `${ALREADY_DECIDED} It is ${draft.state}.`);
  const [state, settings] = await Promise.all([loadIncidentState(ctx.db), schedulerSettings(ctx)]);
  const request = openRequestOf(draft, edits, new Set(state.components.map((c) => c.id)));
  return { draft, request, state, settings };
}

function planPublish(
  { draft, request, state, settings }: Loaded,
  { now, actor }: PlanEnv,
  automated: boolean,
): Outcome<PublishDraftResult> {
  const opened = planOpenIncident(state, request, now, actor.name, settings);
  const incidentId = opened.view.id;
  return {
    changes: [
      opened,
      {
        statements: [
          ...decideDraftStatements(state.db, draft, { state: "published", incidentId, by: actor.name, automated }, now),
          stopEscalations(state.db, { type: "draft", id: draft.id }, `${actor.name} (${actor.id})`, now.toISOString()),
        ],
        jobs: [],
        audit: {
          action: automated ? "alert_draft.auto_publish" : "alert_draft.publish",
          targetType: "alert_draft",
          targetId: draft.id,
          details: { incident_id: incidentId, rule_id: draft.ruleId, automated },
        },
      },
    ],
    result: { draft_id: draft.id, incident: opened.view },
  };
}
