import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { templates } from "../../db/schema.ts";
import fallbacks from "../../templates/maintenance-bodies.json" with { type: "json" };
import { listComponents } from "../components/load-components.ts";
import { updateFields } from "../incidents/schemas.ts";
import type { IncidentRecord } from "../model/rows.ts";
import { getPage } from "../page/get-page.ts";
import { resolveTemplateRequest, type TemplateTarget } from "../templates/resolve.ts";
import type { Template } from "../templates/schemas.ts";
import { templateOf } from "../templates/template-view.ts";

export type MaintenanceStage = keyof typeof fallbacks;

/** What Herald posts about a maintenance on its own; `nextUpdateInMinutes` is the template's promise. */
export type MaintenanceBody = { body: string; nextUpdateInMinutes: number | null };

/** Pure: the update a maintenance gets at a stage, as it is (the new window for an extension or reschedule). */
export type MaintenanceBodies = (stage: MaintenanceStage, maintenance: IncidentRecord) => MaintenanceBody;

/** The stock template each stage posts from; the team may edit it through `/api/templates`. */
export const STAGE_TEMPLATE: Record<MaintenanceStage, string> = {
  started: "maintenance-started",
  completed: "maintenance-completed",
  extended: "maintenance-extended",
  rescheduled: "maintenance-rescheduled",
  cancelled: "maintenance-cancelled",
};

const bodyText = updateFields.body;

/**
 * Reads the templates of `stages` (and the page and components they are rendered against) once, before
 * planning, and returns the pure function that writes the bodies: each rendered by the same resolution as
 * a post from a template (`resolveTemplateRequest`) with no variables, so a variable's default is used.
 * A template that was deleted, or no longer renders without variables (the team made one required), gives
 * the fixed text of templates/maintenance-bodies.json instead: Herald's own post is never refused.
 */
export async function loadMaintenanceBodies(
  db: Db,
  stages: readonly MaintenanceStage[],
  now: Date,
): Promise<MaintenanceBodies> {
  if (stages.length === 0) return fallbackBody;
  const ids = stages.map((stage) => STAGE_TEMPLATE[stage]);
  const [rows, page, components] = await Promise.all([
    db.select().from(templates).where(inArray(templates.id, ids)),
    getPage(db),
    listComponents(db),
  ]);
  const byId = new Map(rows.filter((row) => row.deletedAt === null).map((row) => [row.id, templateOf(row)]));
  return (stage, maintenance) => {
    const template = byId.get(STAGE_TEMPLATE[stage]);
    const rendered = template && renderBody(template, { page, components, incident: maintenance, now });
    return rendered ?? fallbackBody(stage, maintenance);
  };
}

function renderBody(template: Template, target: TemplateTarget): MaintenanceBody | null {
  try {
    const resolved = resolveTemplateRequest(template, { template: template.id }, target);
    const body = bodyText.safeParse(resolved.body);
    if (!body.success || body.data.trim() === "") return null;
    const minutes = resolved.next_update_in_minutes;
    return { body: body.data, nextUpdateInMinutes: typeof minutes === "number" ? minutes : null };
  } catch {
    return null;
  }
}

/** The fixed text of a stage (templates/maintenance-bodies.json), with the window in UTC. */
export function fallbackBody(
  stage: MaintenanceStage,
  maintenance: { scheduledFor: string | null; scheduledUntil: string | null },
): MaintenanceBody {
  const body = fallbacks[stage]
    .replace("{{scheduled_for}}", utc(maintenance.scheduledFor))
    .replace("{{scheduled_until}}", utc(maintenance.scheduledUntil));
  return { body, nextUpdateInMinutes: null };
}

/** `2026-11-26 22:00 UTC` */
function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "";
}
