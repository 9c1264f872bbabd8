import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ComponentStage } from "../../db/enums.ts";
import { componentStageChanges, components } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import type { Statement } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { newId } from "../model/ids.ts";
import { isNotBlank } from "../text/safe-text.ts";
import { findInventoryComponent, loadInventoryState, missingItems } from "./inventory-state.ts";
import { type InventoryEntry, inventoryEntry } from "./inventory-view.ts";
import { INVENTORY_STAGES, moveStageInput } from "./schemas.ts";

export type StageMove = {
  componentId: string;
  from: ComponentStage;
  to: ComponentStage;
  reason: string | null;
  /** The actor's name as the audit line names them. */
  by: string;
  at: string;
  /** Further columns set with the stage (a deprecation's date and message). */
  set?: Partial<typeof components.$inferInsert>;
};

/**
 * The statements of every stage move (the deprecation and sunset actions use them too): the component's
 * new stage, guarded so a move planned from a stage another writer changed meanwhile commits nothing,
 * and its row in `component_stage_changes`, in the same batch as the audit line.
 */
export function stageMoveStatements(db: Db, move: StageMove): Statement[] {
  return [
    db
      .update(components)
      .set({ ...move.set, stage: move.to })
      .where(and(eq(components.id, move.componentId), eq(components.stage, move.from))),
    failUnlessChanged(db),
    db.insert(componentStageChanges).values({
      id: newId(),
      componentId: move.componentId,
      fromStage: move.from,
      toStage: move.to,
      reason: move.reason,
      by: move.by,
      at: move.at,
    }),
  ];
}

const isInventoryStage = (stage: ComponentStage) => (INVENTORY_STAGES as readonly string[]).includes(stage);

/**
 * Moves a component among prototype, development and production. Production with unticked checklist
 * items needs a reason, kept with the move. Deprecation and sunset are their own actions (docs/inventory.md).
 */
export const moveStage = defineAction({
  name: "component.move_stage",
  role: "commander",
  doing: "move components between stages",
  input: moveStageInput,
  conflict: "The component's stage changed while this move was planned: look again and retry.",
  load: (ctx, { id }) => loadInventoryState(ctx.db, id),
  plan(state, { id, stage, reason }, { now, actor }): Outcome<InventoryEntry> {
    const row = findInventoryComponent(state, id);
    if (!isInventoryStage(stage)) {
      throw invalid(
        `A component is deprecated with POST /api/components/${id}/deprecate (a sunset date and a message), and sunset from there; this route moves among prototype, development and production.`,
        [{ path: "stage", message: "deprecated and sunset have their own route: POST /api/components/{id}/deprecate" }],
      );
    }
    if (!isInventoryStage(row.stage)) {
      throw invalid(
        `${row.name} is ${row.stage}: it goes back to production through its deprecation (DELETE /api/components/${id}/deprecate), not this route.`,
        [{ path: "stage", message: `the component is ${row.stage}` }],
      );
    }
    if (stage === row.stage) return { changes: [], result: inventoryEntry(state, row) };
    const missing = stage === "production" ? missingItems(state, id) : [];
    const given = reason !== undefined && isNotBlank(reason) ? reason : null;
    if (missing.length > 0 && given === null) {
      const labels = missing.map((item) => item.label).join("; ");
      throw invalid(
        `${row.name} has unticked production checklist items (${labels}): give a reason to move it to production anyway.`,
        [{ path: "reason", message: `required: ${missing.length} checklist item(s) unticked` }],
      );
    }
    const move = { componentId: id, from: row.stage, to: stage, reason: given, by: actor.name, at: now.toISOString() };
    const details = {
      name: row.name,
      from: row.stage,
      to: stage,
      reason: given,
      unticked: missing.map((item) => item.id),
    };
    return {
      changes: [
        {
          statements: stageMoveStatements(state.db, move),
          audit: { action: "component.move_stage", targetType: "component", targetId: id, details },
          jobs: [],
        },
      ],
      result: inventoryEntry(state, { ...row, stage }),
    };
  },
});
