import { and, eq } from "drizzle-orm";
import { componentChecklist } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { findChecklistItem, findInventoryComponent, loadInventoryState } from "./inventory-state.ts";
import { type InventoryEntry, inventoryEntry } from "./inventory-view.ts";
import { tickInput } from "./schemas.ts";

/** Ticks a checklist item for a component, keeping who and when; ticking a ticked item keeps the first tick. */
export const tickItem = defineAction({
  name: "component.tick_item",
  role: "commander",
  doing: "tick production checklist items",
  input: tickInput,
  load: (ctx, { id }) => loadInventoryState(ctx.db, id),
  plan(state, { id, item: itemId }, { now, actor }): Outcome<InventoryEntry> {
    const row = findInventoryComponent(state, id);
    const item = findChecklistItem(state.items, itemId);
    if (state.ticks.some((t) => t.itemId === itemId)) return { changes: [], result: inventoryEntry(state, row) };
    const tick = { componentId: id, itemId, tickedBy: actor.name, tickedById: actor.id, tickedAt: now.toISOString() };
    const change = {
      statements: [state.db.insert(componentChecklist).values(tick).onConflictDoNothing()],
      audit: {
        action: "component.tick_item",
        targetType: "component",
        targetId: id,
        details: { name: row.name, item: itemId, label: item.label },
      },
      jobs: [],
    };
    return { changes: [change], result: inventoryEntry({ ...state, ticks: [...state.ticks, tick] }, row) };
  },
});

/** Unticks it (the tick's row goes; the audit line keeps who unticked and when). */
export const untickItem = defineAction({
  name: "component.untick_item",
  role: "commander",
  doing: "untick production checklist items",
  input: tickInput,
  load: (ctx, { id }) => loadInventoryState(ctx.db, id),
  plan(state, { id, item: itemId }): Outcome<InventoryEntry> {
    const row = findInventoryComponent(state, id);
    const item = findChecklistItem(state.items, itemId);
    const tick = state.ticks.find((t) => t.itemId === itemId);
    if (!tick) return { changes: [], result: inventoryEntry(state, row) };
    const where = and(eq(componentChecklist.componentId, id), eq(componentChecklist.itemId, itemId));
    const change = {
      statements: [state.db.delete(componentChecklist).where(where)],
      audit: {
        action: "component.untick_item",
        targetType: "component",
        targetId: id,
        details: {
          name: row.name,
          item: itemId,
          label: item.label,
          ticked_by: tick.tickedBy,
          ticked_at: tick.tickedAt,
        },
      },
      jobs: [],
    };
    const ticks = state.ticks.filter((t) => t !== tick);
    return { changes: [change], result: inventoryEntry({ ...state, ticks }, row) };
  },
});
