import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { componentStageChanges } from "../../db/schema.ts";
import { defineQuery } from "../actions/define.ts";
import { findInventoryComponent, loadChecklistItems, loadInventoryState } from "./inventory-state.ts";
import {
  type ChecklistItemView,
  checklistItemView,
  type Inventory,
  type InventoryCard,
  inventoryCard,
  inventoryOf,
} from "./inventory-view.ts";
import { componentId } from "./schemas.ts";

/** Every component with its owner, stage, links and checklist progress, and what is not ready. */
export const readInventory = defineQuery({
  name: "inventory.list",
  role: "viewer",
  doing: "read the inventory",
  input: z.strictObject({}),
  read: async (ctx): Promise<Inventory> => inventoryOf(await loadInventoryState(ctx.db)),
});

/** One component's inventory card: each checklist item with who ticked it and when, and its stage moves. */
export const readInventoryCard = defineQuery({
  name: "inventory.get",
  role: "viewer",
  doing: "read the inventory",
  input: z.strictObject({ id: componentId }),
  async read(ctx, { id }): Promise<InventoryCard> {
    const [state, changes] = await Promise.all([
      loadInventoryState(ctx.db, id),
      ctx.db
        .select()
        .from(componentStageChanges)
        .where(eq(componentStageChanges.componentId, id))
        .orderBy(desc(componentStageChanges.at))
        .limit(50),
    ]);
    return inventoryCard(state, findInventoryComponent(state, id), changes);
  },
});

export const listChecklistItems = defineQuery({
  name: "checklist_item.list",
  role: "viewer",
  doing: "read the production checklist",
  input: z.strictObject({}),
  read: async (ctx): Promise<ChecklistItemView[]> => (await loadChecklistItems(ctx.db)).map(checklistItemView),
});
