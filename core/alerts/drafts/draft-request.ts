import type { z } from "zod";
import { parseInput } from "../../actions/validation.ts";
import { openIncidentInput } from "../../incidents/schemas.ts";
import type { DraftRow } from "./read-drafts.ts";
import type { DraftEdits } from "./schemas.ts";

/**
 * The `POST /api/incidents` request a draft stands for: the incident as its template drafted it, each field
 * a person edited replacing the drafted one, checked by the same schema as any request to open an incident.
 * Drafted components deleted since are left out (a person's own list is checked as given).
 */
export function openRequestOf(
  draft: DraftRow,
  edits: DraftEdits,
  componentIds: ReadonlySet<string>,
): z.output<typeof openIncidentInput> {
  const drafted = Object.fromEntries(Object.entries(draft.components).filter(([id]) => componentIds.has(id)));
  return parseInput(openIncidentInput, {
    name: edits.name ?? draft.name,
    status: edits.status ?? draft.status,
    body: edits.body ?? draft.body,
    components: edits.components ?? drafted,
    impact: edits.impact !== undefined ? edits.impact : draft.impact,
    next_update_in_minutes: draft.nextUpdateInMinutes,
    deliver_notifications: edits.deliver_notifications ?? true,
  });
}
