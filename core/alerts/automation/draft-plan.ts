import type { DRAFT_STATES } from "../../../db/enums.ts";
import { HeraldError } from "../../actions/errors.ts";
import { newId } from "../../model/ids.ts";
import { type ComponentStatus, type Impact, type UpdateStatus, worstComponentStatus } from "../../model/statuses.ts";
import { resolveTemplateRequest } from "../../templates/resolve.ts";
import type { Template } from "../../templates/schemas.ts";
import type { ComponentDecision } from "./decisions.ts";
import type { RuleMatch } from "./matching.ts";
import type { AutomationState, RuleRow } from "./state.ts";

/** An incident drafted from a rule's template, as `alert_drafts` stores it. */
export type NewDraft = {
  id: string;
  ruleId: string;
  state: (typeof DRAFT_STATES)[0];
  templateId: string;
  name: string;
  status: UpdateStatus;
  body: string;
  impact: Impact | null;
  components: Record<string, ComponentStatus>;
  nextUpdateInMinutes: number | null;
  remindAt: string;
  autoPublishAt: string | null;
};

/** A rule's draft: made now (`create`) or already waiting (`draftId`), and the counted alerts it gathers now. */
export type DraftDecision = { ruleId: string; draftId: string; create: NewDraft | null; attach: string[] };

/**
 * One waiting draft per rule with a template and at least one counted alert, gathering every counted alert of
 * the rule. No draft while every component of the rule is under maintenance or named by a person's incident:
 * the people already at work need no second incident.
 */
export function planDrafts(
  state: AutomationState,
  matches: RuleMatch[],
  decisions: ComponentDecision[],
  now: Date,
): DraftDecision[] {
  const skipped = new Set(decisions.filter((d) => d.kind === "skip").map((d) => d.componentId));
  const held = (id: string) =>
    skipped.has(id) ||
    state.holds.some((hold) => hold.componentId === id) ||
    state.components.some((c) => c.id === id && c.status === "under_maintenance");
  const result: DraftDecision[] = [];
  for (const rule of state.rules) {
    const template = state.templates.find((t) => t.id === rule.templateId && t.kind === "incident");
    const counted = matches.filter((match) => match.ruleId === rule.id && match.counted);
    if (!template || counted.length === 0) continue;
    const alertIds = [...new Set(counted.map((match) => match.alertId))];
    const waiting = state.waitingDrafts.find((draft) => draft.ruleId === rule.id);
    if (waiting) {
      const attach = alertIds.filter((id) => !waiting.alertIds.includes(id));
      if (attach.length > 0) result.push({ ruleId: rule.id, draftId: waiting.id, create: null, attach });
      continue;
    }
    if (rule.componentIds.every(held)) continue;
    const status = worstComponentStatus(counted.map((match) => match.status));
    const create = draftFrom(state, rule, template, status, now);
    result.push({ ruleId: rule.id, draftId: create.id, create, attach: alertIds });
  }
  return result;
}

function draftFrom(
  state: AutomationState,
  rule: RuleRow,
  template: Template,
  status: ComponentStatus,
  now: Date,
): NewDraft {
  const leaves = new Set(state.components.filter((c) => !c.isGroup).map((c) => c.id));
  const components = Object.fromEntries(rule.componentIds.filter((id) => leaves.has(id)).map((id) => [id, status]));
  const at = now.toISOString();
  const base = {
    id: newId(),
    ruleId: rule.id,
    state: "waiting" as const,
    templateId: template.id,
    components,
    remindAt: at,
    autoPublishAt:
      rule.autoPublishMinutes === null
        ? null
        : new Date(now.getTime() + rule.autoPublishMinutes * 60_000).toISOString(),
  };
  const page = state.page ?? { name: "", timeZone: "UTC" };
  try {
    const request = { template: template.id, components };
    const resolved = resolveTemplateRequest(template, request, {
      page,
      components: state.components,
      incident: null,
      now,
    });
    return {
      ...base,
      name: String(resolved.name ?? rule.name),
      status: template.status,
      body: String(resolved.body ?? template.body),
      impact: (resolved.impact as Impact | undefined) ?? null,
      nextUpdateInMinutes: typeof resolved.next_update_in_minutes === "number" ? resolved.next_update_in_minutes : null,
    };
  } catch (error) {
    if (!(error instanceof HeraldError)) throw error;
    // A template needing values no alert gives (a required variable): the person fills them in before publishing.
    return {
      ...base,
      name: rule.name,
      status: template.status,
      body: template.body,
      impact: template.impact,
      nextUpdateInMinutes: template.next_update_in_minutes,
    };
  }
}
