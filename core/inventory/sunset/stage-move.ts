import { and, eq, inArray } from "drizzle-orm";
import type { ComponentStage } from "../../../db/enums.ts";
import { componentStageChanges, components } from "../../../db/schema.ts";
import type { Actor } from "../../actions/context.ts";
import type { Change, Statement } from "../../changes/commit.ts";
import { failUnlessChanged } from "../../changes/guard.ts";
import { withGroups } from "../../changes/touched.ts";
import { newId } from "../../model/ids.ts";
import type { ComponentRow } from "../../model/rows.ts";
import type { SunsetState } from "./sunset-state.ts";

/** The columns a retirement move sets (`stage` always; the deprecation's own columns when they change). */
export type StageFields = Pick<ComponentRow, "stage"> &
  Partial<Pick<ComponentRow, "sunsetAt" | "deprecationMessage" | "deprecatedAt">>;

/**
 * One stage move, guarded: the component's row changes only if it is still in the stage it was loaded
 * in, else the whole batch (its stage change, audit and events) fails and a second writer commits
 * nothing. Every move writes its `component_stage_changes` row beside it (docs/inventory.md).
 */
export function stageMove(
  state: SunsetState,
  to: StageFields,
  move: { by: Actor; at: string; reason: string | null; extra: Statement[]; details: Record<string, unknown> },
): Change & { row: ComponentRow } {
  const { db, component } = state;
  const from = component.stage;
  const statements: Statement[] = [
    db
      .update(components)
      .set({ ...to, updatedAt: move.at })
      .where(and(eq(components.id, component.id), inArray(components.stage, [from]))),
    failUnlessChanged(db),
    db.insert(componentStageChanges).values({
      id: newId(),
      componentId: component.id,
      fromStage: from,
      toStage: to.stage,
      reason: move.reason,
      by: `${move.by.name} (${move.by.id})`,
      at: move.at,
    }),
    ...move.extra,
  ];
  const row: ComponentRow = { ...component, ...to, updatedAt: move.at };
  return {
    statements,
    audit: {
      action: auditAction(to.stage),
      targetType: "component",
      targetId: component.id,
      details: { from, to: to.stage, ...(move.reason ? { reason: move.reason } : {}), ...move.details },
    },
    jobs: [],
    touched: { components: withGroups(state.components, [component.id]) },
    row,
  };
}

function auditAction(to: ComponentStage): string {
  if (to === "deprecated") return "component.deprecate";
  if (to === "sunset") return "component.sunset";
  return "component.undeprecate";
}
