import { z } from "zod";
import { COMPONENT_STAGES } from "../../db/enums.ts";
import { addressText, safeText } from "../text/safe-text.ts";

/** The stages the inventory moves a component among; deprecation and sunset have their own actions (docs/inventory.md). */
export const INVENTORY_STAGES = ["prototype", "development", "production"] as const;
export type InventoryStage = (typeof INVENTORY_STAGES)[number];

// Ids are looked up, not checked for shape: an id nothing has is a 404 whatever it looks like.
export const componentId = z.string().describe("the component's id");
export const checklistItemId = z.string().describe("the checklist item's id");

/** A link a person follows from the console: http or https only, one line of safe text. */
export const inventoryLink = addressText(2000, "an address is required (or null)")
  .trim()
  .refine(isHttpUrl, "an http:// or https:// address")
  .nullable();

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** "99.9": a percent above 0 and at most 100, with at most four decimals; kept as the text given. */
export const uptimeTarget = z
  .string()
  .trim()
  .regex(/^\d{1,3}(?:\.\d{1,4})?$/, 'a percent such as "99.9"')
  .refine((value) => Number(value) > 0 && Number(value) <= 100, "above 0 and at most 100")
  .nullable()
  .describe('the uptime target in percent, e.g. "99.9"; null: none');

export const ownerFields = {
  owner_team: safeText({ max: 120, required: "a team name is required (or null)" })
    .nullable()
    .describe("the owning team's name; null: none"),
  owner_person_id: z
    .string()
    .regex(/^[0-9a-z_-]{1,64}$/, "a person's id")
    .nullable()
    .describe("the owning person's id (GET /api/people); null: none"),
};

export const linkFields = {
  runbook_url: inventoryLink.describe("the runbook's address; null: none"),
  repository_url: inventoryLink.describe("the repository's address; null: none"),
  dashboard_url: inventoryLink.describe("the dashboard's address; null: none"),
};

const oneOwner = (value: { owner_team?: string | null; owner_person_id?: string | null }) =>
  !(value.owner_team != null && value.owner_person_id != null);
const ONE_OWNER = { message: "an owner is a team or a person, not both", path: ["owner_person_id"] };

export const setOwnerInput = z
  .strictObject({
    id: componentId,
    owner_team: ownerFields.owner_team.default(null),
    owner_person_id: ownerFields.owner_person_id.default(null),
  })
  .refine(oneOwner, ONE_OWNER);

export const setLinksInput = z.strictObject({ id: componentId, ...linkFields }).partial({
  runbook_url: true,
  repository_url: true,
  dashboard_url: true,
});

export const setUptimeTargetInput = z.strictObject({ id: componentId, uptime_target: uptimeTarget });

/** `PATCH /api/components/{id}/inventory`: any of the owner, the links and the target. */
export const editInventoryInput = z
  .strictObject({ id: componentId, ...ownerFields, ...linkFields, uptime_target: uptimeTarget })
  .partial({
    owner_team: true,
    owner_person_id: true,
    runbook_url: true,
    repository_url: true,
    dashboard_url: true,
    uptime_target: true,
  })
  .refine(oneOwner, ONE_OWNER)
  .refine((value) => Object.keys(value).length > 1, "give at least one field to change");

export const moveStageInput = z.strictObject({
  id: componentId,
  stage: z
    .enum(COMPONENT_STAGES)
    .describe("prototype, development or production (deprecated and sunset have their own route)"),
  reason: safeText({ max: 1000, multiline: true })
    .optional()
    .describe("why it goes to production with unticked checklist items; required then"),
});

export const tickInput = z.strictObject({ id: componentId, item: checklistItemId });

export const checklistLabel = safeText({ max: 120, required: "a label is required" }).describe(
  'what a component should have, e.g. "A runbook"',
);
const position = z.int().min(1).max(1000).describe("1 is first; the others move to make room");

export const createChecklistItemInput = z.strictObject({ label: checklistLabel, position: position.optional() });
export const editChecklistItemInput = z
  .strictObject({ id: checklistItemId, label: checklistLabel.optional(), position: position.optional() })
  .refine((value) => value.label !== undefined || value.position !== undefined, "give a label or a position");
