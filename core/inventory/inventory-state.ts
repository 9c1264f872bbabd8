import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { checklistItems, componentChecklist, components, people } from "../../db/schema.ts";
import { notFound } from "../actions/errors.ts";
import type { ComponentRow } from "../model/rows.ts";

export type ChecklistItemRow = typeof checklistItems.$inferSelect;
export type TickRow = typeof componentChecklist.$inferSelect;
export type OwnerPerson = { id: string; name: string; removed: boolean };

/** What the inventory's views and actions read: the components, the page's checklist, the ticks and the people. */
export type InventoryState = {
  db: Db;
  components: ComponentRow[];
  items: ChecklistItemRow[];
  ticks: TickRow[];
  people: Map<string, OwnerPerson>;
};

export async function loadChecklistItems(db: Db): Promise<ChecklistItemRow[]> {
  return db.select().from(checklistItems).orderBy(asc(checklistItems.position), asc(checklistItems.createdAt));
}

/** Everything, or one component's part (`componentId`), read once. Groups are not services: they are left out. */
export async function loadInventoryState(db: Db, componentId?: string): Promise<InventoryState> {
  const [rows, items, ticks, persons] = await Promise.all([
    componentId === undefined
      ? db.select().from(components).orderBy(asc(components.position), asc(components.createdAt))
      : db.select().from(components).where(eq(components.id, componentId)),
    loadChecklistItems(db),
    componentId === undefined
      ? db.select().from(componentChecklist)
      : db.select().from(componentChecklist).where(eq(componentChecklist.componentId, componentId)),
    db.select({ id: people.id, name: people.name, removedAt: people.removedAt }).from(people),
  ]);
  return {
    db,
    components: rows.filter((row) => !row.isGroup),
    items,
    ticks,
    people: new Map(persons.map((p) => [p.id, { id: p.id, name: p.name, removed: p.removedAt !== null }])),
  };
}

/** The component (never a group), or a 404 that says where to look. */
export function findInventoryComponent(state: InventoryState, id: string): ComponentRow {
  const component = state.components.find((row) => row.id === id);
  if (!component) throw notFound(`There is no component with id "${id}" (groups have no inventory card).`);
  return component;
}

export function findChecklistItem(items: ChecklistItemRow[], id: string): ChecklistItemRow {
  const item = items.find((row) => row.id === id);
  if (!item) throw notFound(`There is no checklist item "${id}" (see GET /api/checklist-items).`);
  return item;
}

/** The page's items the component has not ticked, in checklist order. */
export function missingItems(state: InventoryState, componentId: string): ChecklistItemRow[] {
  const ticked = new Set(state.ticks.filter((t) => t.componentId === componentId).map((t) => t.itemId));
  return state.items.filter((item) => !ticked.has(item.id));
}
