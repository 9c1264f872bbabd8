import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { checklistItems, componentChecklist } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError } from "../actions/errors.ts";
import type { Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import { type ChecklistItemRow, findChecklistItem, loadChecklistItems } from "./inventory-state.ts";
import { type ChecklistItemView, checklistItemView } from "./inventory-view.ts";
import { checklistItemId, createChecklistItemInput, editChecklistItemInput } from "./schemas.ts";

/** The page's production checklist: items an admin adds, renames, reorders and deletes (docs/inventory.md). */

const MAX_ITEMS = 50;

const loadItems = async (ctx: { db: Db }) => ({ db: ctx.db, items: await loadChecklistItems(ctx.db) });

/** The statements that give each item its place in `ordered` (1, 2, 3 …), only for those that move. */
function renumber(db: Db, ordered: ChecklistItemRow[]): Statement[] {
  return ordered.flatMap((item, index) =>
    item.position === index + 1
      ? []
      : [
          db
            .update(checklistItems)
            .set({ position: index + 1 })
            .where(eq(checklistItems.id, item.id)),
        ],
  );
}

function placed<T>(list: T[], item: T, position: number | undefined): T[] {
  const at = Math.min(position === undefined ? list.length : position - 1, list.length);
  return [...list.slice(0, at), item, ...list.slice(at)];
}

export const createChecklistItem = defineAction({
  name: "checklist_item.create",
  role: "admin",
  doing: "change the production checklist",
  input: createChecklistItemInput,
  load: loadItems,
  plan({ db, items }, { label, position }, { now }): Outcome<ChecklistItemView> {
    if (items.length >= MAX_ITEMS) {
      throw new HeraldError("conflict", `The checklist has ${MAX_ITEMS} items, the most it can have.`);
    }
    const id = newId();
    const ordered = placed(items, { id, label, position: 0, createdAt: now.toISOString() }, position);
    const place = ordered.findIndex((item) => item.id === id) + 1;
    const row = { id, label, position: place, createdAt: now.toISOString() };
    const change = {
      statements: [
        ...renumber(
          db,
          ordered.map((item) => (item.id === id ? row : item)),
        ),
        db.insert(checklistItems).values(row),
      ],
      audit: {
        action: "checklist_item.create",
        targetType: "checklist_item",
        targetId: id,
        details: { label, position: place },
      },
      jobs: [],
    };
    return { changes: [change], result: checklistItemView(row) };
  },
});

/** Renames an item or moves it to another place; the ticks stay. */
export const editChecklistItem = defineAction({
  name: "checklist_item.edit",
  role: "admin",
  doing: "change the production checklist",
  input: editChecklistItemInput,
  load: loadItems,
  plan({ db, items }, { id, label, position }): Outcome<ChecklistItemView> {
    const current = findChecklistItem(items, id);
    const renamed = { ...current, label: label ?? current.label };
    const others = items.filter((item) => item.id !== id);
    const ordered =
      position === undefined ? items.map((i) => (i.id === id ? renamed : i)) : placed(others, renamed, position);
    const place = ordered.indexOf(renamed) + 1;
    const result = checklistItemView({ ...renamed, position: place });
    if (renamed.label === current.label && place === current.position) return { changes: [], result };
    const statements = renumber(db, ordered);
    const labelStatement = db.update(checklistItems).set({ label: renamed.label }).where(eq(checklistItems.id, id));
    const change = {
      statements: [labelStatement, ...statements],
      audit: {
        action: "checklist_item.edit",
        targetType: "checklist_item",
        targetId: id,
        details: {
          from: { label: current.label, position: current.position },
          to: { label: renamed.label, position: place },
        },
      },
      jobs: [],
    };
    return { changes: [change], result };
  },
});

/** Deletes an item and every component's tick of it; the audit line keeps how many ticks went with it. */
export const deleteChecklistItem = defineAction({
  name: "checklist_item.delete",
  role: "admin",
  doing: "change the production checklist",
  input: z.strictObject({ id: checklistItemId }),
  async load(ctx, { id }) {
    const [loaded, ticks] = await Promise.all([
      loadItems(ctx),
      ctx.db
        .select({ componentId: componentChecklist.componentId })
        .from(componentChecklist)
        .where(eq(componentChecklist.itemId, id)),
    ]);
    return { ...loaded, ticked: ticks.length };
  },
  plan({ db, items, ticked }, { id }): Outcome<null> {
    const item = findChecklistItem(items, id);
    const change = {
      statements: [
        // Explicit, not left to the foreign key: SQLite enforces cascades only where the connection enables them.
        db.delete(componentChecklist).where(eq(componentChecklist.itemId, id)),
        db.delete(checklistItems).where(eq(checklistItems.id, id)),
        ...renumber(
          db,
          items.filter((other) => other.id !== id),
        ),
      ],
      audit: {
        action: "checklist_item.delete",
        targetType: "checklist_item",
        targetId: id,
        details: { label: item.label, ticks_removed: ticked },
      },
      jobs: [],
    };
    return { changes: [change], result: null };
  },
});
