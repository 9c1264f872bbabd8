import { z } from "zod";
import { COMPONENT_STAGES } from "../../db/enums.ts";
import type { componentStageChanges } from "../../db/schema.ts";
import type { ComponentRow } from "../model/rows.ts";
import { type InventoryState, missingItems } from "./inventory-state.ts";

const ownerSchema = z
  .strictObject({
    kind: z.enum(["team", "person"]),
    /** The person's id; null for a team. */
    id: z.string().nullable(),
    name: z.string(),
    /** A person removed from the team still owns what they owned until someone changes it. */
    removed: z.boolean(),
  })
  .nullable();

const itemRefSchema = z.strictObject({ id: z.string(), label: z.string() });

export const checklistItemSchema = z.strictObject({ id: z.string(), label: z.string(), position: z.int() });
export type ChecklistItemView = z.output<typeof checklistItemSchema>;

export const inventoryEntrySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  group_id: z.string().nullable(),
  stage: z.enum(COMPONENT_STAGES),
  owner: ownerSchema,
  runbook_url: z.string().nullable(),
  repository_url: z.string().nullable(),
  dashboard_url: z.string().nullable(),
  uptime_target: z.string().nullable(),
  sunset_at: z.string().nullable(),
  deprecation_message: z.string().nullable(),
  checklist: z.strictObject({ done: z.int(), total: z.int(), missing: z.array(itemRefSchema) }),
});
export type InventoryEntry = z.output<typeof inventoryEntrySchema>;

export const inventorySchema = z.strictObject({
  checklist: z.array(checklistItemSchema),
  components: z.array(inventoryEntrySchema),
  not_ready: z.strictObject({
    production: z.array(z.string()).describe("production components with unticked checklist items"),
    development: z.array(z.string()).describe("development components close to ready (see docs/inventory.md)"),
  }),
});
export type Inventory = z.output<typeof inventorySchema>;

const tickSchema = z.strictObject({ by: z.string(), by_id: z.string(), at: z.string() }).nullable();

const stageChangeSchema = z.strictObject({
  from: z.enum(COMPONENT_STAGES),
  to: z.enum(COMPONENT_STAGES),
  reason: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});

export const inventoryCardSchema = inventoryEntrySchema.extend({
  items: z.array(checklistItemSchema.extend({ ticked: tickSchema })),
  stage_changes: z.array(stageChangeSchema).describe("newest first"),
});
export type InventoryCard = z.output<typeof inventoryCardSchema>;

type StageChangeRow = typeof componentStageChanges.$inferSelect;

export function ownerOf(state: InventoryState, component: ComponentRow): InventoryEntry["owner"] {
  if (component.ownerTeam !== null) return { kind: "team", id: null, name: component.ownerTeam, removed: false };
  if (component.ownerPersonId === null) return null;
  const person = state.people.get(component.ownerPersonId);
  return {
    kind: "person",
    id: component.ownerPersonId,
    name: person?.name ?? component.ownerPersonId,
    removed: person?.removed ?? true,
  };
}

export function inventoryEntry(state: InventoryState, component: ComponentRow): InventoryEntry {
  const missing = missingItems(state, component.id);
  return {
    id: component.id,
    name: component.name,
    group_id: component.groupId,
    stage: component.stage,
    owner: ownerOf(state, component),
    runbook_url: component.runbookUrl,
    repository_url: component.repositoryUrl,
    dashboard_url: component.dashboardUrl,
    uptime_target: component.uptimeTarget,
    sunset_at: component.sunsetAt,
    deprecation_message: component.deprecationMessage,
    checklist: {
      done: state.items.length - missing.length,
      total: state.items.length,
      missing: missing.map((item) => ({ id: item.id, label: item.label })),
    },
  };
}

/** A development component is close to ready when it misses at most a third of the checklist (at least one item). */
export function isCloseToReady(entry: InventoryEntry): boolean {
  return entry.checklist.missing.length <= Math.max(1, Math.floor(entry.checklist.total / 3));
}

export function inventoryOf(state: InventoryState): Inventory {
  const entries = state.components.map((component) => inventoryEntry(state, component));
  const incomplete = entries.filter((entry) => entry.checklist.missing.length > 0);
  return {
    checklist: state.items.map(checklistItemView),
    components: entries,
    not_ready: {
      production: incomplete.filter((entry) => entry.stage === "production").map((entry) => entry.id),
      development: incomplete.filter((e) => e.stage === "development" && isCloseToReady(e)).map((e) => e.id),
    },
  };
}

export function inventoryCard(
  state: InventoryState,
  component: ComponentRow,
  stageChanges: StageChangeRow[],
): InventoryCard {
  const ticks = new Map(state.ticks.filter((t) => t.componentId === component.id).map((t) => [t.itemId, t]));
  return {
    ...inventoryEntry(state, component),
    items: state.items.map((item) => {
      const tick = ticks.get(item.id);
      return {
        ...checklistItemView(item),
        ticked: tick ? { by: tick.tickedBy, by_id: tick.tickedById, at: tick.tickedAt } : null,
      };
    }),
    stage_changes: stageChanges.map((c) => ({
      from: c.fromStage,
      to: c.toStage,
      reason: c.reason,
      by: c.by,
      at: c.at,
    })),
  };
}

export function checklistItemView(item: { id: string; label: string; position: number }): ChecklistItemView {
  return { id: item.id, label: item.label, position: item.position };
}
