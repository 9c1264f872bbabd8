import { z } from "zod";
import { createChecklistItem, deleteChecklistItem, editChecklistItem } from "../../core/inventory/checklist-items.ts";
import { editInventory } from "../../core/inventory/edit-inventory.ts";
import {
  checklistItemSchema,
  inventoryCardSchema,
  inventoryEntrySchema,
  inventorySchema,
} from "../../core/inventory/inventory-view.ts";
import { moveStage } from "../../core/inventory/move-stage.ts";
import { listChecklistItems, readInventory, readInventoryCard } from "../../core/inventory/read-inventory.ts";
import { tickItem, untickItem } from "../../core/inventory/tick-item.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "inventory";

export const inventoryRoute = operationRoute(readInventory, {
  method: "get",
  path: "/api/inventory",
  summary: "The service inventory: every component's owner, stage, links and checklist progress, and what is not ready",
  tag,
  status: 200,
  response: inventorySchema,
  respond: (inventory) => inventory,
  responseDescription: "the checklist, the components in page order and the ids of those not ready",
});

export const inventoryCardRoute = operationRoute(readInventoryCard, {
  method: "get",
  path: "/api/components/{id}/inventory",
  summary: "A component's inventory card: each checklist item with who ticked it and when, and its stage moves",
  tag,
  status: 200,
  response: inventoryCardSchema,
  respond: (card) => card,
  responseDescription: "the component's inventory card",
});

export const editInventoryRoute = operationRoute(editInventory, {
  method: "patch",
  path: "/api/components/{id}/inventory",
  summary: "Set a component's owner (a team or a person), links (http/https) or uptime target",
  tag,
  status: 200,
  response: inventoryEntrySchema,
  respond: (entry) => entry,
  responseDescription: "the component's inventory entry",
});

export const moveStageRoute = operationRoute(moveStage, {
  method: "post",
  path: "/api/components/{id}/stage",
  summary:
    "Move a component among prototype, development and production (production with unticked items needs a reason)",
  tag,
  status: 200,
  response: inventoryEntrySchema,
  respond: (entry) => entry,
  responseDescription: "the component's inventory entry in its new stage",
});

export const tickItemRoute = operationRoute(tickItem, {
  method: "put",
  path: "/api/components/{id}/checklist/{item}",
  summary: "Tick a production checklist item for a component (who and when are kept)",
  tag,
  from: "path",
  status: 200,
  response: inventoryEntrySchema,
  respond: (entry) => entry,
  responseDescription: "the component's inventory entry",
});

export const untickItemRoute = operationRoute(untickItem, {
  method: "delete",
  path: "/api/components/{id}/checklist/{item}",
  summary: "Untick a production checklist item for a component",
  tag,
  status: 200,
  response: inventoryEntrySchema,
  respond: (entry) => entry,
  responseDescription: "the component's inventory entry",
});

export const listChecklistItemsRoute = operationRoute(listChecklistItems, {
  method: "get",
  path: "/api/checklist-items",
  summary: "The page's production checklist, in order",
  tag,
  status: 200,
  response: z.array(checklistItemSchema),
  respond: (items) => items,
  responseDescription: "the checklist items in order",
});

export const createChecklistItemRoute = operationRoute(createChecklistItem, {
  method: "post",
  path: "/api/checklist-items",
  summary: "Add an item to the production checklist (admin)",
  tag,
  status: 201,
  response: checklistItemSchema,
  respond: (item) => item,
  responseDescription: "the new item",
});

export const editChecklistItemRoute = operationRoute(editChecklistItem, {
  method: "patch",
  path: "/api/checklist-items/{id}",
  summary: "Rename a production checklist item or move it to another position (admin)",
  tag,
  status: 200,
  response: checklistItemSchema,
  respond: (item) => item,
  responseDescription: "the item",
});

export const deleteChecklistItemRoute = operationRoute(deleteChecklistItem, {
  method: "delete",
  path: "/api/checklist-items/{id}",
  summary: "Delete a production checklist item and every component's tick of it (admin)",
  tag,
  status: 204,
  responseDescription: "deleted",
});

export const inventoryRoutes: AdminRoute[] = [
  inventoryRoute,
  inventoryCardRoute,
  editInventoryRoute,
  moveStageRoute,
  tickItemRoute,
  untickItemRoute,
  listChecklistItemsRoute,
  createChecklistItemRoute,
  editChecklistItemRoute,
  deleteChecklistItemRoute,
];
